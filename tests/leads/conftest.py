import pytest

from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.config import SalesforceConfig
from tests.leads.outbound_support import token_client, user_who_may_call
from tests.support.vapi_api import queued_outbound_call


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


# --- the outbound tests' Vapi and API client ------------------------------------------------

@pytest.fixture
def vapi(vapi_api, settings):
    """Vapi answers each POST /call with a new queued call; the default outbound rules apply."""
    vapi_api.body = queued_outbound_call
    settings.CALLSYNC_OUTBOUND_CONSENT = "required"
    settings.CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS = 24.0
    settings.VAPI_API_TIMEOUT_SECONDS = 5.0
    return vapi_api


@pytest.fixture
def api(db):
    return token_client(user_who_may_call())
