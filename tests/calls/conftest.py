"""Fixtures for the manager pages' tests (/calls/, /dashboard/), which several modules share."""

import pytest

from accounts.services import provision_user
from tests.accounts.support import ensure_roles
from tests.factories import QualificationPolicyFactory


@pytest.fixture
def manager(client):
    ensure_roles()
    client.force_login(provision_user(email="maya.manager@example.com", role="manager", password=None).user)
    return client


@pytest.fixture
def policy():
    return QualificationPolicyFactory(version=3, state="retired")
