"""The demo family in a real Chromium: signing in, reading their home page, switching to Spanish,
and pages that assistive technology can use."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from playwright.sync_api import expect

from mutuality.management.commands.seed_demo import DEMO_PASSWORD

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
DEMO_FAMILY_EMAIL = "family@demo.example"
# The family home greets the signed-in family member by name.
DEMO_FAMILY_MEMBER = "Rosa Rivera"
BLOCKING_IMPACTS = {"serious", "critical"}


def sign_in_as_demo_family(page, site):
    page.goto(site.url + "/accounts/login/")
    page.locator('input[name="login"]').fill(DEMO_FAMILY_EMAIL)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
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
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    # Contrast checks mean nothing unless the live server really served our stylesheet.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(27, 31, 36)")
    assert_no_serious_violations(page, "the sign-in page")

    sign_in_as_demo_family(page, demo_site)
    expect(page.get_by_role("heading", name="Your household")).to_be_visible()
    assert_no_serious_violations(page, "the family home page")
