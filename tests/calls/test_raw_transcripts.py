"""Managers read what callers said with card numbers and the like replaced; the raw words are for
users with the "view raw transcripts" permission, and every raw view and CSV export is audited."""

import pytest
from django.contrib.auth.models import Permission

from accounts.services import provision_user
from audit.models import AuditEntry
from calls.models import Call
from tests.accounts.support import ensure_roles
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db

PII = vapi_fixture("pii-card-dob-report")
CALL_ID = PII["message"]["call"]["id"]


@pytest.fixture
def pii_call(post_vapi) -> Call:
    assert post_vapi(PII).status_code == 200
    return Call.objects.get(vapi_call_id=CALL_ID)


def signed_in(client, *, raw: bool = False):
    ensure_roles()
    user = provision_user(email="maya.manager@example.com", role="manager", password=None).user
    if raw:
        user.user_permissions.add(Permission.objects.get(codename="view_raw_transcript"))
    client.force_login(user)
    return client


def card_digits_in(page: str) -> bool:
    return "4111" in page.replace(" ", "").replace("-", "") or "four one one one" in page.lower()


def test_a_manager_sees_the_transcript_redacted_and_no_way_to_the_raw_one(client, pii_call):
    page = signed_in(client).get(f"/calls/{pii_call.pk}/").content.decode()
    assert "[CARD]" in page and "[DOB]" in page
    assert not card_digits_in(page)
    assert 'id="show-raw"' not in page
    # Asking for it without the permission shows the redacted one, and nothing is audited.
    again = client.get(f"/calls/{pii_call.pk}/?transcript=raw").content.decode()
    assert "[CARD]" in again and not AuditEntry.objects.exists()


def test_with_the_permission_the_raw_transcript_is_one_click_away_and_audited(client, pii_call):
    reader = signed_in(client, raw=True)
    assert 'id="show-raw"' in reader.get(f"/calls/{pii_call.pk}/").content.decode()
    page = reader.get(f"/calls/{pii_call.pk}/?transcript=raw").content.decode()
    assert card_digits_in(page) and "recorded in the audit log" in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_RAW_TRANSCRIPT)
    assert entry.target == f"Call {pii_call.pk}" and entry.actor_name == "maya.manager@example.com"


def test_a_csv_export_is_audited_with_its_filters(client, pii_call):
    response = signed_in(client).get("/calls/export.csv?direction=inbound")
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_CSV)
    assert entry.details == {"filters": {"direction": "inbound"}} and entry.actor_name == "maya.manager@example.com"
