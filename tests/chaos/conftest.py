"""Chaos tests: the app in real processes (gunicorn, two Celery workers, beat) on a private
Redis, against the test database and the Salesforce sandbox."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest

from tests.chaos.support import App, PrivateRedis
from tests.leads import conftest as leads_fixtures

default_mappings = leads_fixtures.default_mappings  # the seeded field mappings, as in tests/leads


@pytest.fixture
def seeded_policy():
    """The migrated qualification policy and disposition table, which an earlier transactional
    test's flush removes; the scenarios' dispositions come from them."""
    from django.apps import apps

    from leads.models import QualificationPolicy
    from leads.services import policies

    if not QualificationPolicy.objects.exists():
        importlib.import_module("leads.migrations.0006_seed_qualification").seed(apps, None)
    policies.forget_cached_policies()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis().start()
    yield redis
    redis.stop()


@pytest.fixture
def chaos_app(private_redis, salesforce, default_mappings, seeded_policy) -> Iterator[Callable[..., App]]:
    """Start the app's processes: chaos_app(workers=2, beat=True, **settings as environment strings)."""
    started: list[App] = []

    def start(*, workers: int = 2, beat: bool = True, **settings: str) -> App:
        app = App(redis=private_redis, sandbox=salesforce, **settings).start(workers=workers, beat=beat)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()
