"""Browser tests drive Debian's Chromium through Playwright against the live server."""

import io
import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    # A developer without Chromium is told how to get it; CI (CI=true) always runs these.
    missing = not Path(CHROMIUM).exists() and not os.environ.get("CI")
    skip = pytest.mark.skip(reason="Debian's Chromium is missing: apt-get install chromium")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_phone(browser):
    """Opens a fresh phone-sized browser (no cookies, English) each time it is called."""
    contexts = []

    def open_phone():
        context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US")
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_phone):
    return new_phone()


@pytest.fixture
def demo_site(settings, live_server):
    """The live server with the demo world loaded (live_server brings transactional_db).
    Demo mode: staff reach their pages without setting up two factors."""
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    mail.outbox.clear()
    return live_server
