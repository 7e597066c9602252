"""What the business decides: qualification, routing, outbound calling, retention and erasure."""

from config.settings.base import env

# --- Qualification, routing and outbound calls --------------------------------
# The Platform Event published when a call finishes hot, for Flows to subscribe to; empty: none.
CALLSYNC_QUALIFIED_EVENT = env.str("CALLSYNC_QUALIFIED_EVENT", "AI_Call_Qualified__e")
CALLSYNC_TRANSFER_MESSAGE = env.str(
    "CALLSYNC_TRANSFER_MESSAGE", "Great, let me connect you with {rep}, who can help you from here. One moment please.")
# Where callers who are not hot go when the assistant asks to transfer; empty: a polite refusal.
CALLSYNC_DEFAULT_TRANSFER_NUMBER = env.phone("CALLSYNC_DEFAULT_TRANSFER_NUMBER")
# In-call look-ups answer only about the caller's own number or the call's own lead; true lets
# lookup_lead answer about any number or lead id (trusted internal assistants only).
CALLSYNC_TOOLS_LOOKUP_ANY_LEAD = env.bool("CALLSYNC_TOOLS_LOOKUP_ANY_LEAD", False)
# Time zone for callback times said without one, when the caller's number does not tell.
CALLSYNC_DEFAULT_CALLER_TIMEZONE = env.str("CALLSYNC_DEFAULT_CALLER_TIMEZONE", "America/New_York")
# Outbound qualification calls: a lead called more recently than this is not called again.
CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS = env.float("CALLSYNC_OUTBOUND_MIN_HOURS_BETWEEN_CALLS", 24.0, minimum=0.0)
# "required": only leads who said yes are called (the safe default for AI voices under the TCPA);
# "unless-refused": leads whose consent is unknown are called too.
CALLSYNC_OUTBOUND_CONSENT = env.choice("CALLSYNC_OUTBOUND_CONSENT", "required", ("required", "unless-refused"))
VAPI_API_TIMEOUT_SECONDS = env.float("VAPI_API_TIMEOUT_SECONDS", 10.0, minimum=0.1)

# --- Retention and erasure -------------------------------------------------------
# Transcripts, recording links, summaries and the words behind scores go after this many
# days; the call rows, their times, dispositions and scores stay.
CALLSYNC_RETENTION_TRANSCRIPT_DAYS = env.int("CALLSYNC_RETENTION_TRANSCRIPT_DAYS", 90, minimum=1)
# Raw webhook bodies and headers go after this many days; the event rows stay.
CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS = env.int("CALLSYNC_RETENTION_WEBHOOK_BODY_DAYS", 30, minimum=1)
CALLSYNC_RETENTION_BATCH_SIZE = env.int("CALLSYNC_RETENTION_BATCH_SIZE", 500, minimum=1)
# "Forget this person": "clear-transcripts" also blanks what was said in Salesforce (the
# mapped transcript and summary fields); "none" leaves Salesforce to its own process.
CALLSYNC_FORGET_IN_SALESFORCE = env.choice("CALLSYNC_FORGET_IN_SALESFORCE", "clear-transcripts",
                                           ("clear-transcripts", "none"))
