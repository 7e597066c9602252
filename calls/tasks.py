from celery import shared_task

from calls.services.reprocess import retry_failed_events


@shared_task(ignore_result=True)
def retry_failed_webhook_events() -> dict[str, int]:
    """Beat: process again the events whose processing failed or was interrupted."""
    return retry_failed_events()
