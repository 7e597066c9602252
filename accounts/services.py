"""Onboarding: a person gets a staff login and exactly one role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.validators import validate_email
from django.db import transaction

from accounts.roles import ROLE_GROUPS, ROLE_PERMISSIONS


class OnboardingError(ValueError):
    """A role, email or password we cannot accept; the message says which and why."""


@dataclass(frozen=True)
class ProvisionedUser:
    user: AbstractUser
    created: bool
    generated_password: str | None  # set only when this call chose the password


def normalise_email(email: str) -> str:
    """The address as a username: trimmed and lower-cased, so Dana@X.com and dana@x.com are one person."""
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except Exception as error:  # Django's ValidationError: a message for people, not a stack trace
        raise OnboardingError(f"{email!r} is not an email address.") from error
    return address


def provision_user(*, email: str, role: str, password: str | None = None) -> ProvisionedUser:
    """Create the user (username = email, staff) or update an existing one, and give it exactly `role`.

    Running it again with another role moves the person to that role. An existing user's
    password changes only when one is given; a new user without one gets a generated password."""
    if role not in ROLE_GROUPS:
        raise OnboardingError(f"Unknown role {role!r}: choose one of {', '.join(ROLE_GROUPS)}.")
    address = normalise_email(email)
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=address).first()
        created = user is None
        if created:
            user = User(username=address)
        generated = None
        if password is None and created:
            generated = password = secrets.token_urlsafe(12)
        if password is not None:
            _check_password(password, user)
            user.set_password(password)
        user.email = address
        user.is_staff = True  # the admin is where sales ops edit, and where everyone logs in
        user.is_active = True
        user.save()
        groups = Group.objects.filter(name__in=ROLE_PERMISSIONS)
        user.groups.remove(*[group for group in groups if group.name != ROLE_GROUPS[role]])
        user.groups.add(_role_group(role))
    return ProvisionedUser(user=user, created=created, generated_password=generated)


def _role_group(role: str) -> Group:
    try:
        return Group.objects.get(name=ROLE_GROUPS[role])
    except Group.DoesNotExist as error:
        raise OnboardingError(f"The group {ROLE_GROUPS[role]!r} is missing: run `python manage.py migrate`.") from error


def _check_password(password: str, user: AbstractUser) -> None:
    try:
        validate_password(password, user)
    except Exception as error:  # ValidationError with one message per failed validator
        messages = getattr(error, "messages", [str(error)])
        raise OnboardingError("Password refused: " + " ".join(messages)) from error
