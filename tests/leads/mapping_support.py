"""What the mapping engine's tests share: a rule in one line, a call's document, and the two rules a Lead needs."""

from integrations.salesforce.mapping import MappingRule


PRESIGNED = (
    "https://storage.vapi.ai/9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f-1795100899926-4caa4b4c-42e6-4478-8e25-935f5a7424da-mono.wav"
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261119%2Fus-west-2%2Fs3%2Faws4_request"
    "&X-Amz-Date=20261119T150821Z&X-Amz-Expires=3600&X-Amz-Signature=" + "a" * 64 + "&X-Amz-SignedHeaders=host"
)


def rule(target_field: str, source: str, target_object: str = "Lead", **options) -> MappingRule:
    return MappingRule(target_object=target_object, target_field=target_field, source=source, **options)


def document(**caller) -> dict:
    return {
        "caller": {"first_name": "Dana", "last_name": "Whitfield", "company": "Northwind Logistics", **caller},
        "call": {"id": "call-1", "direction": "inbound", "recording_url": PRESIGNED, "duration_seconds": 252.366},
        "transcript": "Caller: hello",
    }


LAST_NAME = rule("LastName", "caller.last_name", required=True, placeholder="Unknown")
COMPANY = rule("Company", "caller.company", required=True, placeholder="Unknown (AI call)")
