"""The sync tasks moved to crm/tasks.py under their old names: what beat schedules, what the routes
send to the sync queue and what was queued before a deploy all still reach a registered task."""

from django.conf import settings

from config.celery import app
from crm import tasks


def test_the_moved_tasks_keep_the_names_they_had_in_leads():
    assert tasks.sync_call_job.name == "leads.tasks.sync_call_job"
    assert tasks.requeue_stuck_sync_jobs.name == "leads.tasks.requeue_stuck_sync_jobs"
    assert app.tasks["leads.tasks.sync_call_job"].__module__ == "crm.tasks"


def test_every_scheduled_and_routed_task_name_is_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    routed = {name for name in settings.CELERY_TASK_ROUTES if "*" not in name}
    assert (scheduled | routed) - set(app.tasks) == set()
