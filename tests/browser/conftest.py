"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

No browser is ever downloaded: `scripts/test-services.sh` (run by `make test`) installs the chromium
package when it is missing. These tests are transactional (the live server runs in another
thread) with serialized rollback, so each one starts from the migrated data: the roles' groups,
the seeded mappings and the active qualification policy.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from accounts.services import provision_user

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "Browser-tests-9-passphrase"
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test-services.sh (`make test` does), which installs "
                    "Debian's chromium package, or set CHROMIUM to a Chromium binary.", pytrace=False)
    return CHROMIUM


@pytest.fixture
def browser(chromium, transactional_db) -> Browser:
    """Chromium for one test, started once the test database is ready and stopped before it is flushed.

    Playwright's sync API keeps an asyncio loop running on this thread. While it runs, Django's
    async-safety check must be lifted (the ORM calls stay synchronous), and Django's connections
    live in the loop's context: the test's own, closed here, never pytest-django's."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def person(role: str, email: str):
    """A staff user with one of the roles (accounts.roles): "manager" or "salesops"."""
    return provision_user(email=email, role=role, password=PASSWORD).user


def log_in(page: Page, live_server, user, *, next_path: str = "/admin/") -> None:
    """Through the admin's login form, as a person would."""
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}*")
