import factory

from calls.models import Call, WebhookEvent
from leads.models import Lead


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    first_name = "Dana"
    last_name = "Whitfield"
    company = "Northwind Logistics"
    phone_e164 = "+14155550123"
    owner_name = "Sam Rivera"
    salesforce_id = factory.Sequence(lambda n: f"00Q5g00000Lead{n:04d}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    vapi_call_id = factory.Faker("uuid4")
    direction = Call.Direction.INBOUND
    status = Call.Status.IN_PROGRESS
    customer_number = "+14155550123"


class WebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEvent

    provider = "vapi"
    path = "/webhooks/vapi/"
    event_type = "status-update"


class QualificationPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leads.QualificationPolicy"

    name = "BANT"


class QualificationFactory(factory.django.DjangoModelFactory):
    """A final, hot score with evidence for every BANT dimension, as the scoring engine records it."""

    class Meta:
        model = "leads.Qualification"

    call = factory.SubFactory(CallFactory)
    policy = factory.SubFactory(QualificationPolicyFactory)
    score = 85
    status = "hot"
    final = True
    intent = "sales"
    intent_confidence = 0.92
    intent_source = "structuredData.intent"
    evidence_count = 4
    dimensions = factory.LazyFunction(lambda: {
        "budget": {"verdict": "positive", "credit": 1.0, "evidence": [
            {"quote": "$40,000 this quarter", "source": "structuredData.budget", "criterion": None}]},
        "authority": {"verdict": "positive", "credit": 1.0, "evidence": [
            {"quote": "VP of Operations, final sign-off", "source": "structuredData.authority", "criterion": None}]},
        "need": {"verdict": "positive", "credit": 1.0, "evidence": [
            {"quote": "automate outbound dispatch calls", "source": "structuredData.need", "criterion": None}]},
        "timeline": {"verdict": "positive", "credit": 0.4, "evidence": [
            {"quote": "we want it live in about six weeks", "source": "transcript", "criterion": None}]},
    })


class SyncJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.SyncJob"

    call = factory.SubFactory(CallFactory)
    state = "synced"


class TranscriptSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "calls.TranscriptSegment"

    call = factory.SubFactory(CallFactory)
    source = "report"
    segment_key = factory.Sequence(lambda n: f"segment-{n}")
    role = "user"
    text = "Hello"
