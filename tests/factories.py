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
