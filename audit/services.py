"""Recording sensitive actions. Call it in the same transaction as the action, so an action
that rolls back leaves no entry and one that commits cannot lose it."""

from __future__ import annotations

from typing import Any

from audit.addresses import client_address
from audit.models import AuditEntry


def record(*, action: str, actor=None, target: str = "", request=None, **details: Any) -> AuditEntry:
    """`actor` defaults to the request's user; command-line actions pass the operator's name in details."""
    if actor is None and request is not None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        actor = request.user
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else str(details.pop("operator", "")),
        target=target[:255],
        details=details,
        remote_addr=client_address(request) if request is not None else None,
    )


def record_login_failure(*, request, username: str, failures: int, locked_out: bool, limit: int,
                         cooloff_minutes: int) -> None:
    """One entry per failed login (the username tried, never the password), and one more when this
    failure starts a lockout (`failures` reaches `limit`); past it, the login was refused unchecked."""
    username = (username or "").replace("\x00", "")[:150]
    refused = locked_out and failures > limit  # the password was not even checked
    record(action=AuditEntry.Action.LOGIN_FAILED, request=request, target=username, username=username,
           failures=failures, **({"refused": "locked out"} if refused else {}))
    if locked_out and failures == limit:
        record(action=AuditEntry.Action.LOCKED_OUT, request=request, target=username, username=username,
               failures=failures, minutes=cooloff_minutes)
