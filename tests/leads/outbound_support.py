"""What the outbound tests share: the qualify URL, a lead that may be called, users and clients that may ask,
and the calls Vapi was asked to start."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from calls.models import Call
from tests.factories import LeadFactory


def qualify_url(reference) -> str:
    return reverse("leads:qualify", args=[reference])


def callable_lead(**fields):
    """A lead the assistant may call under the default settings."""
    return LeadFactory(consent=Call.Consent.GIVEN, status="Open - Not Contacted", **fields)


def user_who_may_call(username: str = "sam") -> User:
    user = User.objects.create_user(username, password="a long test password")
    user.user_permissions.add(Permission.objects.get(codename="start_qualification_call"))
    return user


def token_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})


def vapi_calls(vapi) -> list[dict]:
    return [request for request in vapi.requests if (request["method"], request["path"]) == ("POST", "/call")]
