import pytest

from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.config import SalesforceConfig


@pytest.fixture
def warm_describe(salesforce):
    """The describe answers the sync needs, cached as after its first sync of the day, and the
    org's API count back at zero: sync tests count the requests a call itself costs."""
    with SalesforceClient(SalesforceConfig.from_settings()) as client:
        for sobject in ("Case", "Lead", "Task"):
            client.describe(sobject)
    salesforce.org.api_calls_used = 0


@pytest.fixture
def default_mappings():
    """The seeded footprint, for transactional tests: an earlier one's flush removed the migration's rows."""
    import importlib

    from django.apps import apps

    from crm.models import FieldMapping

    if not FieldMapping.objects.exists():
        importlib.import_module("leads.migrations.0003_seed_field_mappings").seed(apps, None)
