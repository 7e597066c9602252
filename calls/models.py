from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.fields import EncryptedJSONField, EncryptedTextField


class Provider(models.TextChoices):
    VAPI = "vapi", "Vapi"
    TWILIO = "twilio", "Twilio"


class WebhookEvent(models.Model):
    """One inbound webhook request, stored before it is processed."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        DUPLICATE = "duplicate", "Duplicate (already applied)"
        FAILED = "failed", "Failed (will be retried)"
        REJECTED = "rejected", "Rejected (malformed)"

    provider = models.CharField(max_length=16, choices=Provider.choices)
    event_type = models.CharField(max_length=64, blank=True)
    provider_call_id = models.CharField(max_length=64, blank=True, db_index=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    call = models.ForeignKey("calls.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events")
    path = models.CharField(max_length=200)
    headers = models.JSONField(default=dict)
    body = EncryptedTextField(blank=True)  # what arrived holds what callers said: encrypted at rest
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    valid = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["provider", "dedupe_key"], name="webhook_dedupe_idx"),
            models.Index(fields=["status", "received_at"], name="webhook_status_idx"),
            models.Index(fields=["-received_at"], name="webhook_received_idx"),
        ]

    def __str__(self):
        return f"{self.provider} {self.event_type or '?'} #{self.pk}"


class Call(models.Model):
    """A phone or web call, joined across Vapi (call id) and Twilio (CallSid)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        RINGING = "ringing", "Ringing"
        IN_PROGRESS = "in-progress", "In progress"
        FORWARDING = "forwarding", "Forwarding"
        ENDED = "ended", "Ended"

    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"
        WEB = "web", "Web"
        UNKNOWN = "unknown", "Unknown"

    class Consent(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"

    class Disposition(models.TextChoices):
        QUALIFIED_LEAD = "QualifiedLead", "Qualified lead"
        NOT_QUALIFIED = "NotQualified", "Not qualified"
        NO_ANSWER = "NoAnswer", "No answer"
        VOICEMAIL_LEFT = "VoicemailLeft", "Voicemail left"
        SUPPORT_REQUEST = "SupportRequest", "Support request"
        CALLBACK_REQUESTED = "CallbackRequested", "Callback requested"
        SPAM = "Spam", "Spam"
        INCOMPLETE = "Incomplete", "Incomplete"

    vapi_call_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    twilio_call_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    vapi_call_type = models.CharField(max_length=32, blank=True)
    direction = models.CharField(max_length=16, choices=Direction.choices, default=Direction.UNKNOWN)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    twilio_status = models.CharField(max_length=16, blank=True)
    customer_number = models.CharField("customer phone (E.164)", max_length=16, blank=True, db_index=True)
    customer_number_raw = models.CharField(max_length=64, blank=True)
    assistant_id = models.CharField(max_length=64, blank=True)
    phone_number_id = models.CharField(max_length=64, blank=True)
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")

    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    ended_reason = models.CharField(max_length=128, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    # What the call said, in the assistant's words and the caller's: encrypted at rest like the transcript.
    summary = EncryptedTextField(blank=True)
    structured_data = EncryptedJSONField(default=dict, blank=True)
    success_evaluation = EncryptedTextField(blank=True)
    recording_url = models.URLField(max_length=2048, blank=True)
    stereo_recording_url = models.URLField(max_length=2048, blank=True)
    variable_values = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    consent = models.CharField(max_length=16, choices=Consent.choices, default=Consent.UNKNOWN)
    disposition = models.CharField(max_length=32, choices=Disposition.choices, blank=True)
    # What the assistant recorded with its update_crm and request_callback tools.
    outcome = EncryptedTextField(blank=True)  # at most 255 characters (leads/tools.py)
    next_steps = EncryptedTextField(blank=True)
    callback_at = models.DateTimeField(null=True, blank=True)
    callback_timezone = models.CharField(max_length=64, blank=True)
    # What redaction replaced in the call's transcript, summary and structured data before they left for
    # Salesforce ({"CARD": 1, "DOB": 1}), and how sure it is nothing was missed (privacy/redaction.py).
    pii_redactions = models.JSONField(default=dict, blank=True)
    pii_redaction_confidence = models.FloatField(null=True, blank=True)
    # The same free text (REDACTED_FIELDS) as shown to whoever may not see it raw, redacted once when it
    # was stored (calls/services/transcripts.py); NULL until then.
    redacted = EncryptedJSONField(null=True, blank=True)

    # When the newest event of each kind was applied (by the provider's clock):
    # an older event arriving late never overwrites a newer one.
    status_event_at = models.DateTimeField(null=True, blank=True)
    conversation_event_at = models.DateTimeField(null=True, blank=True)
    report_received_at = models.DateTimeField(null=True, blank=True)
    twilio_sequence = models.PositiveIntegerField(null=True, blank=True)
    # Set when a call that went silent was closed from Vapi's API or given up on.
    finalized_at = models.DateTimeField(null=True, blank=True)
    # When a provider event (Vapi's, or a Twilio call callback) last reached the call, by our clock: the
    # silent-call sweep's only clock (calls/services/finalize.py). Until one has, when the row was made.
    # Written by the appliers alone (calls/services/call_records.save_applied), so a sync, a redaction
    # or a person's edit never makes a silent call look alive.
    last_provider_event_at = models.DateTimeField(default=timezone.now)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="call_created_idx"),
            models.Index(fields=["status", "-created_at"], name="call_status_idx"),
            models.Index(fields=["disposition", "-created_at"], name="call_disposition_idx"),
            models.Index(fields=["direction", "-created_at"], name="call_direction_idx"),
            models.Index(fields=["last_provider_event_at"], name="call_silence_idx",
                         condition=models.Q(report_received_at__isnull=True, finalized_at__isnull=True)),
        ]
        permissions = [("view_raw_transcript", "Can view raw (unredacted) transcripts and summaries")]

    def __str__(self):
        return self.vapi_call_id or self.twilio_call_sid or f"Call {self.pk}"


class TranscriptSegment(models.Model):
    """One utterance. Partial transcripts are never stored."""

    class Source(models.TextChoices):
        LIVE = "live", "Live transcript"
        CONVERSATION = "conversation", "Conversation update"
        REPORT = "report", "End-of-call report"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="segments")
    source = models.CharField(max_length=16, choices=Source.choices)
    # role + provider time + text digest: the same utterance delivered twice has the same key.
    segment_key = models.CharField(max_length=100)
    role = models.CharField(max_length=16)
    text = EncryptedTextField()
    redacted_text = EncryptedTextField(null=True, blank=True)  # `text` redacted when stored; NULL until then
    seconds_from_start = models.FloatField(null=True, blank=True)
    spoken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seconds_from_start", "spoken_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "source", "segment_key"], name="segment_natural_key"),
        ]

    def __str__(self):
        return f"{self.role}: {self.text[:60]}"


class ToolInvocation(models.Model):
    """One tool call the assistant made during a call, and what it was told.

    Vapi may deliver a tool-calls message twice: the second delivery gets the first answer."""

    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.CASCADE, related_name="tool_invocations")
    tool_call_id = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    arguments = EncryptedJSONField(null=True, blank=True)
    result = EncryptedTextField(blank=True)
    redacted = EncryptedJSONField(null=True, blank=True)  # {"arguments", "result"} redacted when stored
    succeeded = models.BooleanField(default=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "tool_call_id"], condition=~models.Q(tool_call_id=""),
                                    name="tool_invocation_once"),
        ]

    def __str__(self):
        return f"{self.name} ({self.tool_call_id or 'no id'})"


class Recording(models.Model):
    """A recording reported by Twilio's recording status callback."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="recordings")
    recording_sid = models.CharField(max_length=64, unique=True)
    url = models.URLField(max_length=2048, blank=True)
    status = models.CharField(max_length=16, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.recording_sid


class DispositionChange(models.Model):
    """History of a call's disposition: who or what set it, and why."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="disposition_changes")
    disposition = models.CharField(max_length=32, choices=Call.Disposition.choices)
    reason = models.CharField(max_length=255, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]


class TwilioHandoff(models.Model):
    """The TwiML a Twilio call was first answered with, kept per CallSid: a redelivery or a replay of
    the voice webhook gets the same answer, and Vapi is asked to take a call once (calls/services/inbound_calls.py)."""

    call_sid = models.CharField(max_length=64, unique=True)
    twiml = EncryptedTextField()  # Vapi's TwiML names the call's media stream: not for anyone reading the table
    vapi_call_id = models.CharField(max_length=64, blank=True)
    fell_back = models.BooleanField(default=False, help_text="Answered with the human fallback, not Vapi.")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.call_sid
