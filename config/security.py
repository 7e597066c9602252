"""A Content-Security-Policy for the manager pages.

The admin and the API docs keep Django's and their own defaults (the admin relies on
inline styles); the pages managers read every day get the strict policy in
settings.CALLSYNC_CSP, since they show what callers said."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(tuple(settings.CALLSYNC_CSP_PATHS)):
            response.headers.setdefault("Content-Security-Policy", settings.CALLSYNC_CSP)
        return response
