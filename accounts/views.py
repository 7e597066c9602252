"""The page a locked-out login gets (django-axes calls it instead of the login view's answer)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """429, saying for how long and what to do: the same page for a locked username and a locked address."""
    return render(request, "accounts/locked_out.html", {
        "title": "Login locked",
        "minutes": settings.CALLSYNC_LOGIN_COOLOFF_MINUTES,
        "failure_limit": settings.CALLSYNC_LOGIN_FAILURE_LIMIT,
    }, status=429)
