from django import forms

from calls.phones import to_e164


def e164_or_error(raw: str) -> str:
    """A phone number typed into the admin, in E.164; blank stays blank."""
    number = to_e164(raw) if raw else ""
    if raw and not number:
        raise forms.ValidationError("Not a phone number. Write it with its country code, like +1 415 555 0100.")
    return number
