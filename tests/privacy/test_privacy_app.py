"""privacy as an app: its tasks answer to the names beat and queued messages use, its commands are its own."""

from django.apps import apps
from django.core.management import get_commands

from config.celery import app as celery_app
from config.settings import CELERY_BEAT_SCHEDULE


def test_the_tasks_keep_the_names_beat_and_queued_messages_use():
    celery_app.loader.import_default_modules()
    assert celery_app.tasks["audit.tasks.purge_expired"].__module__ == "privacy.tasks"
    assert celery_app.tasks["audit.tasks.forget_in_salesforce"].__module__ == "privacy.tasks"
    assert all(entry["task"] in celery_app.tasks for entry in CELERY_BEAT_SCHEDULE.values())


def test_the_privacy_commands_keep_their_names_and_belong_to_privacy():
    commands = get_commands()
    names = ("forget_caller", "purge_expired", "reencrypt", "reredact")
    assert {name: commands[name] for name in names} == dict.fromkeys(names, "privacy")
    assert commands["mask_echoed_secrets"] == "calls"  # callsync's own credentials, masked by calls' intake
    assert apps.get_app_config("privacy").verbose_name.startswith("Privacy")
