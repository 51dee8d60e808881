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

# Every page reports what the Content-Security-Policy blocked (a style, a script, an image):
# a blocked style or script is a page that looks or behaves broken, so the test fails.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "an inline resource"}` +
      ` on ${document.location.pathname} (${event.sourceFile || "the page"}:${event.lineNumber})`
  );
});
"""


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


def watch_the_policy(context, violations: list[str]) -> None:
    """Records in `violations` what the policy blocks in any page of `context`: Chromium's
    console message ("Refused to apply inline style...") and the page's own violation event."""
    context.expose_binding("reportPolicyViolation", lambda _source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.text} (on {message.page.url if message.page else '?'})")

    context.on("console", on_console)


@pytest.fixture
def policy_violations():
    """What the Content-Security-Policy blocked in this test's browser pages, as it happens."""
    return []


@pytest.fixture
def new_phone(browser, policy_violations):
    """Opens a fresh phone-sized browser (no cookies, English) each time it is called. The test
    fails if the Content-Security-Policy blocked anything in any of its pages."""
    contexts = []

    def open_phone():
        context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US")
        watch_the_policy(context, policy_violations)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        for page in context.pages:
            page.wait_for_timeout(50)  # lets a last violation event reach us
        context.close()
    if policy_violations:
        pytest.fail("The Content-Security-Policy blocked:\n" + "\n".join(policy_violations))


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
