"""A month's survey in a real Chromium: the family sends it, the liaison asks for a correction,
the family fixes it, the liaison verifies, and the family sees its stipend and its chart."""

import re
from decimal import Decimal

from babel.numbers import format_currency
from django.utils import timezone
from playwright.sync_api import expect

from mutuality.management.commands.seed_demo import DEMO_PASSWORD
from surveys.models import SurveyResponse

REQUIRED = {
    "income_wages": "1450",
    "income_business": "0",
    "income_benefits": "120",
    "income_other": "0",
    "savings_balance": "260",
    "debt_formal": "0",
    "debt_high_cost": "180",
    "adults_working": "2",
}


def sign_in(page, site, email):
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_survey_is_sent_corrected_verified_and_paid(new_phone, demo_site):
    site = demo_site
    month = timezone.localdate().strftime("%Y-%m")

    family = new_phone()
    sign_in(family, site, "friend@demo.example")
    expect(family).to_have_url(re.compile(r"/family/$"))
    family.goto(f"{site.url}/family/surveys/new/?period={month}")
    for key, value in REQUIRED.items():
        family.locator(f'[name="{key}"]').fill(value)
    family.get_by_role("button", name="Send to the liaison").click()
    expect(family.get_by_text("Waiting for verification").first).to_be_visible()
    survey = SurveyResponse.objects.get(family__name="Nguyen household", period=f"{month}-01")
    review_url = f"{site.url}/p/oakland/surveys/{survey.pk}/"

    liaison = new_phone()
    sign_in(liaison, site, "liaison@demo.example")
    expect(liaison.get_by_text("Nguyen household").first).to_be_visible()  # in the queue
    liaison.goto(review_url)
    liaison.get_by_label("Needs evidence").check()
    liaison.get_by_label("What needs correcting").fill("Please add the overtime from October.")
    liaison.get_by_role("button", name="Ask for a correction").click()
    expect(liaison).to_have_url(re.compile(r"/p/oakland/"))

    family.goto(f"{site.url}/family/surveys/{survey.pk}/")
    expect(family.get_by_text("Please add the overtime from October.")).to_be_visible()
    family.locator('[name="income_wages"]').fill("1610")
    family.get_by_role("button", name="Send to the liaison").click()
    survey.refresh_from_db()
    assert survey.state == "resubmitted"
    assert survey.answers["income_wages"] == "1610.00"

    liaison.goto(review_url)
    liaison.get_by_label("What did you check?").fill("pay stub seen")
    liaison.get_by_role("button", name="Verify this survey").click()
    expect(liaison).to_have_url(re.compile(r"/p/oakland/"))
    survey.refresh_from_db()
    assert survey.state == "verified"

    family.goto(f"{site.url}/family/stipends/")
    this_month = family.get_by_role("row", name=re.compile(timezone.localdate().strftime("%B %Y")))
    expect(this_month).to_contain_text(format_currency(Decimal("25"), "USD", locale="en"))
    expect(this_month).to_contain_text("Earned, not yet scheduled")
    family.goto(f"{site.url}/family/progress/")
    expect(family.locator('svg[role="img"]').first).to_be_visible()
