"""A row no key can decrypt is set aside with the reason; everything else flows on, and the admin shows it."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse

from privacy.encryption import PREFIX
from calls.models import Call, WebhookEvent
from calls.tasks import apply_waiting_webhook_events
from tests.support.signing import vapi_fixture

pytestmark = pytest.mark.django_db


def under_another_key(text: str) -> str:
    return PREFIX + Fernet(Fernet.generate_key()).encrypt(text.encode()).decode()


def overwrite(table: str, column: str, pk: int, stored: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [stored, pk])  # noqa: S608 (constants)


def test_an_event_no_key_opens_is_quarantined_and_the_others_are_applied(post_vapi, admin_client):
    post_vapi(vapi_fixture("status-update-ringing"), worker=False)  # the oldest waiting event
    poisoned = WebhookEvent.objects.get()
    overwrite("calls_webhookevent", "body", poisoned.pk, under_another_key(poisoned.body))
    other = vapi_fixture("end-of-call-report")
    other["message"]["call"]["id"] = "another-call"
    post_vapi(other)  # runs the applier
    poisoned.refresh_from_db()
    assert poisoned.status == WebhookEvent.Status.FAILED and "cannot be decrypted" in poisoned.error
    applied = WebhookEvent.objects.exclude(pk=poisoned.pk).get()
    assert applied.status == WebhookEvent.Status.PROCESSED and Call.objects.filter(vapi_call_id="another-call").exists()
    apply_waiting_webhook_events()  # set aside: not retried forever
    assert WebhookEvent.objects.get(pk=poisoned.pk).status == WebhookEvent.Status.FAILED
    assert admin_client.get(reverse("admin:calls_webhookevent_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:calls_webhookevent_change", args=[poisoned.pk]), {"transcript": "raw"})
    assert page.status_code == 200 and "cannot be decrypted" in page.content.decode()


def test_a_call_with_an_unreadable_field_still_shows_and_keeps_its_token(post_vapi, admin_client):
    post_vapi(vapi_fixture("end-of-call-report"))
    call = Call.objects.get()
    token = under_another_key("a summary from elsewhere")
    overwrite("calls_call", "summary", call.pk, token)
    assert admin_client.get(reverse("admin:calls_call_change", args=[call.pk])).status_code == 200
    assert admin_client.get(f"/calls/{call.pk}/").status_code == 200
    call = Call.objects.get()
    call.save()  # written back as it was: a key put back later still opens it
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM calls_call WHERE id = %s", [call.pk])
        assert cursor.fetchone()[0] == token
