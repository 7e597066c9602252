"""Who the site answers to and how: hosts, the proxy, HTTPS, browser protections, login lockout."""

from datetime import timedelta

from config.settings.base import DEBUG, env

PUBLIC_BASE_URL = env.url("PUBLIC_BASE_URL")
_public_host = PUBLIC_BASE_URL.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0] if PUBLIC_BASE_URL else ""
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    [host for host in ("localhost", "127.0.0.1", "[::1]", _public_host) if host],
)
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL] if PUBLIC_BASE_URL else []
# Behind the TLS-terminating proxy (docs/deploy/nginx.conf) the scheme arrives in this header, which
# the proxy sets on every request. Empty: trust no header (nothing in front, or TLS ends at gunicorn).
_proxy_ssl_header = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None)

# --- HTTPS and browser protections ---------------------------------------------
# Production is served over HTTPS (TLS at the proxy), with or without a PUBLIC_BASE_URL (Vapi
# alone needs none): outside DEBUG, cookies are HTTPS-only and HSTS is sent (Django sends it on
# HTTPS requests only) unless PUBLIC_BASE_URL says plain http://. Redirecting plain HTTP needs
# to know the site answers HTTPS: a https PUBLIC_BASE_URL says so (or DJANGO_SECURE_SSL_REDIRECT).
# Health checks and metrics stay reachable over plain HTTP for load balancers and scrapers inside.
_https = not DEBUG and not PUBLIC_BASE_URL.startswith("http://")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", _https and PUBLIC_BASE_URL.startswith("https://"))
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
# Preloading is a promise browsers keep for months: only on the owner's explicit say-so.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", _https)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The manager pages load nothing from elsewhere but the call recordings (Vapi's or
# Twilio's storage): a strict policy, so an injected script or frame has nowhere to go.
CALLSYNC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
CALLSYNC_CSP_PATHS = ("/calls/", "/dashboard/")

# --- Logins -------------------------------------------------------------------
# django-axes: after CALLSYNC_LOGIN_FAILURE_LIMIT failed logins for one username, or from
# one address (whatever usernames it tried), that username or address is refused for
# CALLSYNC_LOGIN_COOLOFF_MINUTES after its last try, even with the right password. Superusers and
# sales ops lift a lockout early in the admin (Axes > Access attempts: delete the rows).
CALLSYNC_LOGIN_FAILURE_LIMIT = env.int("CALLSYNC_LOGIN_FAILURE_LIMIT", 5, minimum=1)
CALLSYNC_LOGIN_COOLOFF_MINUTES = env.int("CALLSYNC_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default): the
# client's address is REMOTE_ADDR and the header is ignored, since anyone can write it.
CALLSYNC_TRUSTED_PROXY_COUNT = env.int("CALLSYNC_TRUSTED_PROXY_COUNT", 0, minimum=0)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = CALLSYNC_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CALLSYNC_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: one user from anywhere, one address
AXES_CLIENT_IP_CALLABLE = "audit.addresses.client_address"
AXES_HANDLER = "accounts.lockout.AuditedAxesHandler"  # axes' database handler, writing the audit log too
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # 429 with a page that says for how long
AXES_RESET_ON_SUCCESS = False  # a login that succeeds with one account must not wipe an address's failures
