from celery import shared_task

from calls.services.reprocess import retry_failed_events
from calls.services.waiting_events import apply_waiting_events
from observability.metrics import webhook_events_retried


@shared_task(ignore_result=True)
def apply_waiting_webhook_events() -> int:
    """Apply the webhook events stored to be applied after the answer; safe to run many at once."""
    return apply_waiting_events()


@shared_task(ignore_result=True)
def retry_failed_webhook_events() -> dict[str, int]:
    """Beat: apply events still waiting (a run lost with its worker), then process again the
    events whose processing failed."""
    apply_waiting_events()
    outcomes = retry_failed_events()
    webhook_events_retried(outcomes)
    return outcomes


@shared_task(ignore_result=True)
def finalize_silent_calls() -> dict[str, int]:
    """Beat: fetch the reports Vapi never delivered; close calls nobody will report on."""
    from calls.services.finalize import finalize_silent_calls as finalize

    return finalize()
