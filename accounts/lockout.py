"""django-axes, wired to the audit log: every failed login and every lockout is an AuditEntry."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings

from audit.services import record_login_failure


class AuditedAxesHandler(AxesDatabaseHandler):
    """axes' own database handler (it counts the failures and decides the lockout), then the audit entry.

    Django calls this for each failed authenticate(), including one that axes refused because
    the username or address is already locked out."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:  # authenticate() without a request (a shell): nothing to lock, no address
            return
        record_login_failure(request=request, username=str(credentials.get("username") or ""),
                             failures=getattr(request, "axes_failures_since_start", 0) or 0,
                             locked_out=bool(getattr(request, "axes_locked_out", False)),
                             limit=settings.CALLSYNC_LOGIN_FAILURE_LIMIT,
                             cooloff_minutes=settings.CALLSYNC_LOGIN_COOLOFF_MINUTES)
