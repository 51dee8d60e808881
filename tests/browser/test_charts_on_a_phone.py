"""The progress page on a 360 px phone in a real Chromium: every text of its charts is drawn at
12 px or more, the page never scrolls sideways, and the tables of the charts' numbers scroll in
a region of their own that the keyboard reaches, with a visible hint."""

import re

from playwright.sync_api import expect

from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.conftest import watch_the_policy

SMALL_PHONE = {"width": 360, "height": 740}

SMALLEST_CHART_TEXT = """
() => Math.min(...[...document.querySelectorAll("svg.chart text")].map((text) =>
  parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))
"""


def test_chart_text_is_legible_and_tables_scroll_on_a_360_px_phone(
    browser, demo_site, policy_violations
):
    context = browser.new_context(viewport=SMALL_PHONE, locale="fr-FR")
    watch_the_policy(context, policy_violations)
    page = context.new_page()
    page.goto(demo_site.url + "/accounts/login/")
    page.locator('[name="login"]').fill("family@demo.example")
    page.locator('[name="password"]').fill(DEMO_PASSWORD)
    page.locator('form [type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/family/$"))
    page.goto(demo_site.url + "/family/progress/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "fr"

    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]

    region = page.locator('.table-scroll[role="region"]').first
    expect(region.locator(".scroll-hint")).to_be_visible()
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-labelledby")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    # The income table is wider than the phone: the region scrolls, by keyboard too.
    assert page.evaluate("(r) => r.scrollWidth > r.clientWidth", region.element_handle())
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    assert page.evaluate("(r) => r.scrollLeft", region.element_handle()) > 0
    context.close()
    assert not policy_violations, policy_violations
