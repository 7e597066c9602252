"""Vapi, Twilio and Salesforce: credentials, webhook checks, and how the sync paces its requests."""

from config.settings.base import env

# --- Providers ---------------------------------------------------------------
WEBHOOK_MAX_BODY_BYTES = 1024 * 1024
# Django refuses bigger bodies with a 400; the webhook views answer 413 themselves.
DATA_UPLOAD_MAX_MEMORY_SIZE = WEBHOOK_MAX_BODY_BYTES + 1024

VAPI_WEBHOOK_SECRET = env.str("VAPI_WEBHOOK_SECRET")
VAPI_WEBHOOK_BEARER_TOKEN = env.str("VAPI_WEBHOOK_BEARER_TOKEN")
# A Vapi HMAC credential (HmacAuthenticationPlan): each option is a setting, and the defaults are
# Vapi's, so a credential left at its defaults needs only its secret here.
VAPI_WEBHOOK_HMAC_SECRET = env.str("VAPI_WEBHOOK_HMAC_SECRET")
VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64 = env.bool("VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64", False)
VAPI_WEBHOOK_HMAC_ALGORITHM = env.choice("VAPI_WEBHOOK_HMAC_ALGORITHM", "sha256", ("sha256", "sha1", "sha512"))
VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER = env.str("VAPI_WEBHOOK_HMAC_SIGNATURE_HEADER", "x-signature")
VAPI_WEBHOOK_TIMESTAMP_HEADER = env.str("VAPI_WEBHOOK_TIMESTAMP_HEADER", "x-timestamp")
VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX = env.str("VAPI_WEBHOOK_HMAC_SIGNATURE_PREFIX")
VAPI_WEBHOOK_HMAC_INCLUDE_TIMESTAMP = env.bool("VAPI_WEBHOOK_HMAC_INCLUDE_TIMESTAMP", True)
VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT = env.str("VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT", "{timestamp}.{body}")
VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER = env.str("VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER")
VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING = env.choice("VAPI_WEBHOOK_HMAC_SIGNATURE_ENCODING", "hex", ("hex", "base64"))
VAPI_WEBHOOK_TOLERANCE_SECONDS = env.int("VAPI_WEBHOOK_TOLERANCE_SECONDS", 300, minimum=1)
try:
    from integrations.vapi.auth import HmacPlan

    HmacPlan(secret=VAPI_WEBHOOK_HMAC_SECRET, secret_is_base64=VAPI_WEBHOOK_HMAC_SECRET_IS_BASE64,
             payload_format=VAPI_WEBHOOK_HMAC_PAYLOAD_FORMAT, message_id_header=VAPI_WEBHOOK_HMAC_MESSAGE_ID_HEADER)
except ValueError as _exc:  # stop the start with the reason, as for any malformed setting
    env.errors.append(f"The Vapi HMAC settings do not fit together: {_exc}.")
VAPI_API_KEY = env.str("VAPI_API_KEY")
VAPI_BASE_URL = env.url("VAPI_BASE_URL", "https://api.vapi.ai")
VAPI_ASSISTANT_ID = env.str("VAPI_ASSISTANT_ID")
VAPI_PHONE_NUMBER_ID = env.str("VAPI_PHONE_NUMBER_ID")
# Twilio waits 15 s for TwiML; Vapi gets this long before the caller is sent to
# the fallback, leaving room for the rest of the request.
VAPI_BYPASS_TIMEOUT_SECONDS = env.float("VAPI_BYPASS_TIMEOUT_SECONDS", 3.5, minimum=0.1)

TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN")
FALLBACK_PHONE_NUMBER = env.phone("FALLBACK_PHONE_NUMBER")
CALLSYNC_FALLBACK_MESSAGE = env.str(
    "CALLSYNC_FALLBACK_MESSAGE",
    "Thanks for calling. Our assistant is unavailable right now, so we are connecting you to our team.",
)
CALLSYNC_VOICEMAIL_MESSAGE = env.str(
    "CALLSYNC_VOICEMAIL_MESSAGE",
    "Thanks for calling. Please leave your name, number and a short message after the tone.",
)
# Region used to read phone numbers written without a country code.
CALLSYNC_DEFAULT_REGION = env.str("CALLSYNC_DEFAULT_REGION", "US").upper()
# The company's own numbers (comma-separated E.164): like the caller's, never redacted from what Salesforce gets.
CALLSYNC_COMPANY_PHONE_NUMBERS = env.list("CALLSYNC_COMPANY_PHONE_NUMBERS")
CALLSYNC_WEBHOOK_MAX_ATTEMPTS = env.int("CALLSYNC_WEBHOOK_MAX_ATTEMPTS", 5, minimum=1)
# Waiting webhook events one run of the applier takes before handing the rest to another run.
CALLSYNC_WEBHOOK_APPLY_BATCH = env.int("CALLSYNC_WEBHOOK_APPLY_BATCH", 2000, minimum=1)
# How long a run of the applier keeps looking for new events once none wait. Web processes that
# saw a run on its way skip the cache for half as long, so most webhooks cost one INSERT.
CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS = env.float("CALLSYNC_WEBHOOK_APPLY_LINGER_SECONDS", 0.5, minimum=0.0)

# --- Salesforce ---------------------------------------------------------------
# Client credentials (a connected app with the client-credentials flow enabled) or
# username + password; the password has the user's security token appended.
SALESFORCE_LOGIN_URL = env.url("SALESFORCE_LOGIN_URL", "https://login.salesforce.com")
SALESFORCE_CLIENT_ID = env.str("SALESFORCE_CLIENT_ID")
SALESFORCE_CLIENT_SECRET = env.str("SALESFORCE_CLIENT_SECRET")
SALESFORCE_USERNAME = env.str("SALESFORCE_USERNAME")
SALESFORCE_PASSWORD = env.str("SALESFORCE_PASSWORD")
SALESFORCE_API_VERSION = env.str("SALESFORCE_API_VERSION", "62.0")
SALESFORCE_CA_BUNDLE = env.str("SALESFORCE_CA_BUNDLE")
SALESFORCE_TIMEOUT_SECONDS = env.float("SALESFORCE_TIMEOUT_SECONDS", 10.0, minimum=0.1)
# Salesforce answers a token without its lifetime; the org's session timeout
# (2 hours by default) bounds it, so tokens are renewed well before.
SALESFORCE_TOKEN_TTL_SECONDS = env.int("SALESFORCE_TOKEN_TTL_SECONDS", 3600, minimum=60)

# Sync stops (jobs wait, nothing is dropped) when the org's remaining daily API
# budget falls under this share of its allocation, leaving room for other integrations.
CALLSYNC_SALESFORCE_API_RESERVE_PERCENT = env.float("CALLSYNC_SALESFORCE_API_RESERVE_PERCENT", 20.0)
CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND = env.float("CALLSYNC_SALESFORCE_MAX_REQUESTS_PER_SECOND", 10.0, minimum=0.1)
CALLSYNC_SYNC_MAX_ATTEMPTS = env.int("CALLSYNC_SYNC_MAX_ATTEMPTS", 15, minimum=1)
CALLSYNC_SYNC_BACKOFF_BASE_SECONDS = env.float("CALLSYNC_SYNC_BACKOFF_BASE_SECONDS", 2.0, minimum=0.0)
# Well below the broker's visibility timeout (3600 s), so a waiting retry is never redelivered.
CALLSYNC_SYNC_BACKOFF_CAP_SECONDS = env.float("CALLSYNC_SYNC_BACKOFF_CAP_SECONDS", 600.0, minimum=0.0)
CALLSYNC_SYNC_BATCH_SIZE = env.int("CALLSYNC_SYNC_BATCH_SIZE", 200, minimum=1)
# How long a worker's claim on a job lasts: a worker killed mid-sync holds its jobs this long,
# then any worker takes them over. Keep it above the sync task's hard time limit (300 s).
CALLSYNC_SYNC_LEASE_SECONDS = env.int("CALLSYNC_SYNC_LEASE_SECONDS", 330, minimum=5)
# After REQUEST_LIMIT_EXCEEDED, jobs wait at least this long before trying again.
CALLSYNC_SYNC_LIMIT_WAIT_SECONDS = env.float("CALLSYNC_SYNC_LIMIT_WAIT_SECONDS", 60.0, minimum=0.0)
# The sweeper leaves a job alone this long after its message was queued (it may be on its way).
CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS = env.float("CALLSYNC_SYNC_QUEUED_RECENTLY_SECONDS", 120.0, minimum=0.0)
# After a status "ended" without a report, wait this long for the report before syncing
# what is known: one API request per call instead of two.
CALLSYNC_REPORT_GRACE_SECONDS = env.float("CALLSYNC_REPORT_GRACE_SECONDS", 30.0)
# A call that has sent nothing for this long without ending is finalised from Vapi's API.
CALLSYNC_CALL_SILENCE_MINUTES = env.int("CALLSYNC_CALL_SILENCE_MINUTES", 15, minimum=1)
