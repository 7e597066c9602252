"""Who may open the manager pages: anyone logged in with calls.view_call (Managers, Sales ops, superusers)."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required

VIEW_CALLS = "calls.view_call"


def manager_page(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; logged-in users without the permission get a 403."""
    return login_required(permission_required(VIEW_CALLS, raise_exception=True)(view))
