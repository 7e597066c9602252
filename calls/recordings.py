"""The recording URL of a call: which recording a person may be handed, declared once.

The manager pages play it and the call document sends it to Salesforce (`call.recording_url`,
mapped to the Task's Recording_URL__c), so both take it from `recording_url` here."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from calls.models import Call


def recording_url(call: Call) -> str:
    """Vapi's recording, else Twilio's latest completed one; "" when neither may be played or followed.

    Twilio's are read through `call.recordings`: from the prefetch when the caller made one (the
    call page), else in one query, and only when Vapi's address is missing or refused."""
    if playable_url(call.recording_url):
        return call.recording_url
    done = [row for row in call.recordings.all() if row.status == "completed" and playable_url(row.url)]
    return max(done, key=lambda row: row.updated_at).url if done else ""


def playable_url(url: str) -> bool:
    """Whether a browser may be handed this address to play or follow: https (http too in DEBUG).

    The address comes from a webhook body, so anyone who can sign one chooses it: a javascript:
    or data: address in an audio element's src or a link would run or show what they wrote."""
    parts = urlsplit(url or "")
    schemes = ("https", "http") if settings.DEBUG else ("https",)
    return parts.scheme.lower() in schemes and bool(parts.hostname)
