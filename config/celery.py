"""The Celery app: `celery -A config worker` and `celery -A config beat`."""

import os
import time

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("callsync")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender, **kwargs):
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@setup_logging.connect
def _keep_django_logging(**kwargs):
    """Workers and beat log through Django's LOGGING (JSON, call ids, phone numbers masked), not
    Celery's own format: with a receiver here, Celery leaves logging alone (the level comes from
    DJANGO_LOG_LEVEL, not --loglevel)."""


_task_started: dict[str, float] = {}


@task_prerun.connect
def _start_task_clock(task_id=None, **kwargs):
    _task_started[task_id] = time.monotonic()


@task_postrun.connect
def _record_task_duration(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is not None and task is not None:
        from observability.metrics import task_finished  # after Django's setup, like the tasks themselves

        task_finished(task=task.name, state=state or "", seconds=time.monotonic() - started)
