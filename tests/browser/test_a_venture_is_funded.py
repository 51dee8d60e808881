"""A venture in a real Chromium: a family plans it with two budget lines and a milestone, opens a
donation ask, a funder pledges, and the family sees the pledge and the ask's progress bar."""

import datetime
import re

from babel.numbers import format_currency
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Partner
from mutuality.management.commands.seed_demo import DEMO_PASSWORD


def sign_in(page, site, email):
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def choose(page, name, value):
    """Pick a value whether the question is a select or radio buttons."""
    field = page.locator(f'[name="{name}"]').first
    if field.evaluate("el => el.tagName") == "SELECT":
        field.select_option(value)
    else:
        page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_a_family_plans_a_venture_asks_for_a_donation_and_a_funder_pledges(new_phone, demo_site):
    site = demo_site
    # This partner publishes asks without its staff's check, so the ask opens at once.
    Partner.objects.filter(slug="oakland").update(funding_asks_need_review=False)

    family = new_phone()
    sign_in(family, site, "family@demo.example")
    family.goto(f"{site.url}/family/ventures/new/")
    family.locator('[name="name"]').fill("Rivera sewing repairs")
    choose(family, "kind", "new")
    choose(family, "sector", "services")
    family.locator('textarea[name="description"]').fill(
        "Hems and zips mended at home, for neighbours."
    )
    choose(family, "visibility", "public")
    family.locator('[name="lines-0-item"]').fill("Second-hand sewing machine")
    family.locator('[name="lines-0-amount"]').fill("150")
    family.locator('[name="lines-1-item"]').fill("Thread and zips")
    family.locator('[name="lines-1-amount"]').fill("50")
    family.locator('[name="milestones-0-what"]').fill("First ten customers")
    family.locator('[name="milestones-0-due_on"]').fill(
        (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    )
    family.get_by_role("button", name="Save the venture").click()
    expect(family.get_by_role("heading", level=1)).to_contain_text("Rivera sewing repairs")
    expect(family.get_by_text("Second-hand sewing machine")).to_be_visible()
    expect(family.get_by_text("First ten customers")).to_be_visible()
    venture_url = family.url

    family.goto(venture_url + "asks/new/")
    choose(family, "kind", "donation")
    family.locator('[name="amount"]').fill("200")
    family.locator('[name="purpose"]').fill("The machine and the first supplies.")
    family.locator('[name="friends_first_days"]').fill("0")
    family.get_by_role("button", name="Next").click()
    family.get_by_role("button", name="Send it").click()
    expect(family.get_by_text(re.compile("Open")).first).to_be_visible()
    ask_url = family.url

    funder = new_phone()
    sign_in(funder, site, "funder@demo.example")
    funder.get_by_role("link", name=re.compile("Rivera sewing repairs")).first.click()
    funder.locator('[name="amount"]').fill("80")
    funder.get_by_role("button", name="Pledge").click()
    expect(funder.get_by_text(re.compile("Thank you")).first).to_be_visible()

    family.goto(ask_url)
    pledged = (
        f"{format_currency(80, 'USD', locale='en')} of {format_currency(200, 'USD', locale='en')}"
    )
    expect(family.get_by_text(pledged).first).to_be_visible()
    expect(family.locator("progress").first).to_have_attribute("value", re.compile("80"))
    expect(family.get_by_text("Bay Community Fund").first).to_be_visible()
