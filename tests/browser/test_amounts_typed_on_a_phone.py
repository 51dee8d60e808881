"""A Spanish or French family on a 360 px phone types the survey's amounts the way they write
them (a decimal comma, their grouping) and finds the same amounts saved and shown their way."""

import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import timezone
from playwright.sync_api import expect

from mutuality.numbers import amount_hint
from surveys.models import SurveyResponse
from tests.browser.phone import open_small_phone, sign_in

# What each family types, and the machine decimal it must be saved as.
TYPED = {
    "fr": {"income_wages": ("1 450,50", "1450.50"), "savings_balance": ("260,75", "260.75")},
    "es": {"income_wages": ("1.450,50", "1450.50"), "savings_balance": ("260,75", "260.75")},
}
THE_REST = {
    "income_business": "0",
    "income_benefits": "120",
    "income_other": "0",
    "debt_formal": "0",
    "debt_high_cost": "180",
    "adults_working": "2",
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_family_types_a_decimal_comma_and_the_right_amount_is_saved(
    browser, demo_site, policy_violations, language
):
    site = demo_site
    month = timezone.localdate().strftime("%Y-%m")
    context, page = open_small_phone(browser, site, language, policy_violations)
    sign_in(page, site, "friend@demo.example")

    page.goto(f"{site.url}/family/surveys/new/?period={month}")
    # The hint under an amount says how to write one in this language, "1,200" included.
    expect(page.locator("#id_income_wages_helptext")).to_contain_text(amount_hint(language))
    for key, (typed, _) in TYPED[language].items():
        page.locator(f'[name="{key}"]').fill(typed)
    for key, value in THE_REST.items():
        page.locator(f'[name="{key}"]').fill(value)
    page.locator('button[name="action"][value="send"]').click()
    page.wait_for_load_state("load")

    survey = SurveyResponse.objects.get(family__name="Nguyen household", period=f"{month}-01")
    assert survey.state == "submitted"
    for key, (_, stored) in TYPED[language].items():
        assert survey.answers[key] == stored
    assert survey.answers["debt_high_cost"] == "180.00"

    # Shown back the family's way, on the page of the survey they sent.
    page.goto(f"{site.url}/family/surveys/{survey.pk}/")
    for key, (_, stored) in TYPED[language].items():
        written = format_currency(Decimal(stored), "USD", locale=language)
        expect(page.locator("dd", has_text=written).first).to_be_visible()
    # Never the corrupted reading of the comma as a thousands separator.
    assert not re.search(r"145[ .\u202f\u00a0]?050", page.inner_text("main"))
    context.close()
    assert policy_violations == []
