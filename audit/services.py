"""Recording sensitive actions. Call it in the same transaction as the action, so an action
that rolls back leaves no entry and one that commits cannot lose it."""

from __future__ import annotations

from typing import Any

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
        remote_addr=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
