from django.apps import AppConfig


class CrmConfig(AppConfig):
    """The exchange with Salesforce: field mappings, the call document, the sync outbox and its push."""

    name = "crm"
    verbose_name = "CRM (Salesforce sync)"
