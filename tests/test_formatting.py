"""The same figures read the same way on every page, in each language, as Babel (CLDR) writes
them: a family's progress and its chart, the liaison's review, the payments page and the
partner's trends. Each expectation is Babel's own output for that locale and currency."""

import datetime
import html
from decimal import Decimal

import pytest
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_percent
from django.urls import reverse

from changemakers.tests.test_trends_api import aggregate
from surveys import services
from surveys.tests.test_review_pages import review_url, seat_of, submitted
from tests import clock

LANGUAGES = ["en", "es", "fr"]


def money(amount: str, locale: str, currency: str = "USD") -> str:
    return format_currency(Decimal(amount), currency, locale=locale)


def rise(amount: str, locale: str, currency: str = "USD") -> str:
    return "+" + money(amount, locale, currency)


def month_name(period: datetime.date, locale: str) -> str:
    return format_skeleton("yMMMM", period, locale=locale)


def page(client, user, url, language) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f'<html lang="{language}"' in body
    return body


@pytest.fixture
def two_verified_months(world):
    """The seed family: income 1000 then 1770, savings 100 then 575, both verified; then a
    month of 600 waiting for the liaison."""
    liaison = seat_of(world.a.liaison, world.a)
    for period, wages, savings in ((-3, "1000.00", "100"), (-2, "1770.00", "575")):
        survey = submitted(
            world.a.seed_family,
            clock.period(period),
            income_wages=wages,
            savings_balance=savings,
        )
        services.survey_verify(seat=liaison, response=survey)
    return submitted(world.a.seed_family, clock.period(-1), income_wages="600.00")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_progress_page_and_its_chart_write_money_as_babel_does(
    world, client, two_verified_months, language
):
    body = page(client, world.a.seed_member, reverse("family_progress"), language)
    assert money("1770", language) in body  # the latest income
    assert rise("770", language) in body  # its change against the baseline
    assert rise("475", language) in body  # savings
    assert f"{clock.month_label(-2, language)}" in body
    assert month_name(clock.month(-2), language) in body
    # The chart's description says the same figures the same way.
    desc = body.split('<desc id="chart-income-desc">', 1)[1].split("</desc>", 1)[0]
    assert money("1000", language) in desc and money("1770", language) in desc
    # Never the machine's notation.
    assert "1770.00" not in body and "+770.00" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_review_page_writes_answers_and_the_unusual_change_as_babel_does(
    world, client, two_verified_months, language
):
    body = page(client, world.a.liaison, review_url(world.a, two_verified_months), language)
    assert money("600", language) in body
    assert month_name(clock.month(-1), language) in body  # the survey's month, named
    percent = format_percent(Decimal("-0.66"), locale=language)
    change = f"{money('1770', language)} → {money('600', language)}"
    assert percent in body and change in body
    assert month_name(clock.month(-2), language) in body
    assert "->" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_payments_page_writes_stipends_as_babel_does(
    world, client, two_verified_months, language
):
    url = reverse("payments", kwargs={"partner_slug": world.a.partner.slug})
    body = page(client, world.a.staff, url, language)
    assert money("25", language) in body  # each stipend
    assert money("50", language) in body  # the two payable
    assert "25.00 USD" not in body and "50.00 USD" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trends_page_and_chart_write_changes_as_babel_does(world, client, language):
    aggregate(world.a.partner, clock.month(-2), median_income_change=Decimal("1177.00"))
    aggregate(
        world.a.partner,
        clock.month(-1),
        median_income_change=Decimal("1295.00"),
        share_improved=Decimal("0.7500"),
    )
    url = reverse("partner_trends", kwargs={"partner_slug": world.a.partner.slug})
    body = page(client, world.a.staff, url, language)
    assert f"<td>{rise('1295', language)}</td>" in body
    assert f"<td>{format_percent(Decimal('0.75'), locale=language)}</td>" in body
    assert f'<th scope="row">{month_name(clock.month(-1), language)}</th>' in body
    desc = body.split('<desc id="partner-trends-desc">', 1)[1].split("</desc>", 1)[0]
    assert money("1177", language) in desc and money("1295", language) in desc
    assert "1295.00" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_in_liberian_dollars_sees_them_one_way(world, client, language):
    liaison = seat_of(world.b.liaison, world.b)
    survey = submitted(world.b.seed_family, clock.period(-2), income_wages="2500.00")
    services.survey_verify(seat=liaison, response=survey)
    url = reverse("payments", kwargs={"partner_slug": world.b.partner.slug})
    body = page(client, world.b.staff, url, language)
    stipend = money(str(world.b.partner.stipend_amount), language, "LRD")
    assert stipend in body
    progress = page(client, world.b.seed_member, reverse("family_progress"), language)
    assert money("2500", language, "LRD") in progress
    assert "2500.00 LRD" not in progress
