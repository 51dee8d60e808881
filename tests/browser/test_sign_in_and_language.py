"""The demo family in a real Chromium: signing in, reading their home page, switching to Spanish,
and pages that assistive technology can use."""

import io
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from mutuality.management.commands.seed_demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"

# A developer without Chromium is told how to get it; CI (CI=true) always runs these.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian's Chromium is missing: apt-get install chromium",
    ),
]

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
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
DEMO_FAMILY_EMAIL = "family@demo.example"
# The family home greets the signed-in family member by name.
DEMO_FAMILY_MEMBER = "Rosa Rivera"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh phone-sized browser with no cookies, asking for English."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(settings, live_server):
    """The live server with the demo world loaded (live_server brings transactional_db)."""
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    return live_server


def sign_in_as_demo_family(page, site):
    page.goto(site.url + "/accounts/login/")
    page.locator('input[name="login"]').fill(DEMO_FAMILY_EMAIL)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(re.compile(r"/family/$"))


def assert_no_serious_violations(page, where: str) -> None:
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    report = []
    for violation in blocking:
        report.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        report.append(f"    {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            report.append(f"    at {node['target']}: {node.get('failureSummary', '')}")
    if report:
        print(f"Accessibility violations on {where}:\n" + "\n".join(report))
    assert not blocking, f"{len(blocking)} serious or critical violation(s) on {where}:\n" + (
        "\n".join(report)
    )


def test_the_demo_family_signs_in_sees_home_and_switches_to_spanish(demo_site, page):
    sign_in_as_demo_family(page, demo_site)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {DEMO_FAMILY_MEMBER}")
    expect(page.get_by_role("heading", name="Your household")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#language-select").select_option("es")
    page.get_by_role("button", name="Change language").click()

    expect(page).to_have_url(re.compile(r"/family/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hola, {DEMO_FAMILY_MEMBER}")
    expect(page.get_by_role("heading", name="Su hogar")).to_be_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "family-home-es.png"), full_page=True)


def test_sign_in_and_home_pages_have_no_serious_accessibility_violations(demo_site, page):
    page.goto(demo_site.url + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    # Contrast checks mean nothing unless the live server really served our stylesheet.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(27, 31, 36)")
    assert_no_serious_violations(page, "the sign-in page")

    sign_in_as_demo_family(page, demo_site)
    expect(page.get_by_role("heading", name="Your household")).to_be_visible()
    assert_no_serious_violations(page, "the family home page")
