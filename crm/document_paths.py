"""Every source path a FieldMapping may name in the call document (crm/services/call_document.py).

Kept apart from the document so the FieldMapping model can validate against them without
importing a service (docs/mapping.md describes each; the tests keep the three in step)."""

DOCUMENT_PATHS: tuple[str, ...] = (
    "caller.phone", "caller.phone_raw", "caller.name", "caller.first_name", "caller.last_name", "caller.company",
    "caller.email",
    "lead.salesforce_id", "lead.first_name", "lead.last_name", "lead.name", "lead.company", "lead.email",
    "lead.owner_name", "lead.phone",
    "call.id", "call.vapi_call_id", "call.twilio_call_sid", "call.direction", "call.type", "call.status",
    "call.ended_reason", "call.started_at", "call.ended_at", "call.duration_seconds", "call.cost", "call.summary",
    "call.recording_url", "call.disposition", "call.success_evaluation", "call.incomplete", "call.subject",
    "qualification.score", "qualification.status", "qualification.intent", "qualification.intent_confidence",
    "analysis.summary", "analysis.structuredData", "analysis.successEvaluation",
    "consent.status", "consent.given", "consent.record",
    "transcript",
    "privacy.redaction_confidence",
)
# Free-form: any path below these is accepted (analysis.structuredData.budget).
OPEN_PATHS: tuple[str, ...] = ("analysis.structuredData",)
