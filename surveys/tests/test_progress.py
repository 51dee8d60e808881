"""A family follows its own progress against its baseline, and its stipends.

Pages: `/family/progress/` (verified surveys only, charts drawn on the server with a table of
the same numbers) and `/family/stipends/`.
"""

import datetime
import re
from decimal import Decimal

from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from families.access import FamilySeat
from surveys import charts, services
from surveys.models import Stipend, SurveyResponse
from tests import clock

PROGRESS = reverse("family_progress")
STIPENDS = reverse("family_stipends")

BASE = {
    "income_business": "0.00",
    "income_benefits": "0.00",
    "income_other": "0.00",
    "debt_formal": "0.00",
    "adults_working": 1,
}


# The world's cohort began six months ago.
COHORT_START = -6


def month(n: int) -> datetime.date:
    """The n-th month of the cohort (0: its first)."""
    return clock.month(COHORT_START + n)


def label(n: int) -> str:
    """The n-th month of the cohort as the pages name it."""
    return clock.month_label(COHORT_START + n)


def survey(tenant, n, *, wages, savings="0.00", high_cost="0.00", state="verified"):
    return SurveyResponse.objects.create(
        partner=tenant.partner,
        cohort=tenant.cohort,
        family=tenant.seed_family,
        template=services.current_template(tenant.partner),
        period=month(n),
        answers={
            **BASE,
            "income_wages": wages,
            "savings_balance": savings,
            "debt_high_cost": high_cost,
        },
        state=state,
    )


def four_months(tenant):
    """Income 100, 200, 300 then 600; savings 10, 20, 30 then 100."""
    for n, (wages, savings) in enumerate(
        [("100.00", "10.00"), ("200.00", "20.00"), ("300.00", "30.00"), ("600.00", "100.00")]
    ):
        survey(tenant, n, wages=wages, savings=savings, high_cost="50.00")


def usd(amount: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), "USD", locale="en")


def signed_in(client, user):
    client.force_login(user)
    return client


def body_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


def income_rows(response) -> dict[str, list]:
    panel = next(p for p in response.context["panels"] if p["id"] == "income")
    return {row["month"]: row["cells"] for row in panel["rows"]}


# Progress ----------------------------------------------------------------------------------------


def test_with_no_verified_survey_the_page_explains_what_will_come(world, client):
    survey(world.a, 0, wages="100.00", state="submitted")
    response = signed_in(client, world.a.seed_member).get(PROGRESS)
    body = body_of(response)
    assert response.status_code == 200
    assert "once your liaison has verified your first survey" in body
    assert "<svg" not in body


def test_the_baseline_is_the_first_verified_month(world, client):
    four_months(world.a)
    response = signed_in(client, world.a.seed_member).get(PROGRESS)
    body = body_of(response)
    assert response.status_code == 200
    assert f"Your baseline is your first verified month: {label(0)}." in body
    rows = income_rows(response)
    # total, change of the total, then the sources
    assert rows["Baseline"][:2] == [usd("100"), None]
    assert rows[label(0)][:2] == [usd("100"), usd("0")]
    assert rows[label(3)][:2] == [usd("600"), "+" + usd("500")]
    assert "+" + usd("500") + " compared with your baseline" in body
    assert f"Latest verified month: {label(3)}" in body


def test_the_baseline_is_the_mean_of_the_first_three_months_when_the_partner_says_so(world, client):
    world.a.partner.baseline_months = 3
    world.a.partner.save()
    four_months(world.a)

    response = signed_in(client, world.a.seed_member).get(PROGRESS)

    body = body_of(response)
    assert (
        "Your baseline is the average of your first 3 verified months: "
        f"{label(0)}, {label(1)} and {label(2)}." in body
    )
    rows = income_rows(response)
    assert rows["Baseline"][0] == usd("200")
    assert rows[label(0)][1] == usd("-100")
    assert rows[label(2)][1] == "+" + usd("100")
    assert rows[label(3)][1] == "+" + usd("400")
    savings = next(p for p in response.context["panels"] if p["id"] == "savings")
    assert savings["rows"][-1]["cells"] == [usd("100"), "+" + usd("80")]
    # the baseline's months are marked in the tables
    assert body.count('class="in-baseline"') == 3 * len(response.context["panels"])


def test_a_baseline_still_filling_says_so(world, client):
    world.a.partner.baseline_months = 3
    world.a.partner.save()
    survey(world.a, 0, wages="100.00")
    survey(world.a, 1, wages="300.00")
    body = body_of(signed_in(client, world.a.seed_member).get(PROGRESS))
    assert "will be the average of your first 3 verified months" in body
    assert f"{label(0)} and {label(1)}" in body


def test_unverified_surveys_do_not_count(world, client):
    four_months(world.a)
    survey(world.a, 4, wages="99999.00", state="submitted")
    survey(world.a, 5, wages="88888.00", state="needs_correction")
    response = signed_in(client, world.a.seed_member).get(PROGRESS)
    body = body_of(response)
    assert "99999" not in body and "88888" not in body
    assert label(4) not in income_rows(response)
    assert f"Latest verified month: {label(3)}" in body


def test_the_page_draws_each_theme_as_an_accessible_svg_chart(world, client):
    four_months(world.a)
    body = body_of(signed_in(client, world.a.seed_member).get(PROGRESS))
    assert body.count('role="img"') == 5  # income, savings, debt, net position, help
    assert '<title id="chart-income-title">Income, month by month (USD)</title>' in body
    assert re.search(
        rf'<desc id="chart-income-desc">Total income: {re.escape(usd("100"))} in {label(0)}', body
    )
    assert 'aria-labelledby="chart-income-title chart-income-desc"' in body
    assert 'stroke-dasharray="6 4"' in body  # the baseline
    assert 'width="100%"' in body and 'viewBox="0 0 320 ' in body
    assert "<script" not in body.split("<main", 1)[1]
    # a table of the same numbers beside each chart
    assert body.count('<div class="table-scroll" role="region" tabindex="0"') == 5
    assert "Total income: change vs baseline" in body
    assert "Formal debt (USD)" in body and "High-cost debt (USD)" in body
    assert "Net position" in body and "Help given" in body and "Help received" in body


def test_net_position_is_savings_minus_debts(world, client):
    survey(world.a, 0, wages="100.00", savings="40.00", high_cost="100.00")
    survey(world.a, 1, wages="100.00", savings="90.00", high_cost="20.00")
    response = signed_in(client, world.a.seed_member).get(PROGRESS)
    net = next(p for p in response.context["panels"] if p["id"] == "net")
    assert [row["cells"] for row in net["rows"]] == [
        [usd("-60"), None],
        [usd("-60"), usd("0")],
        [usd("70"), "+" + usd("130")],
    ]


def test_another_familys_progress_is_never_shown(world, client):
    four_months(world.a)
    response = signed_in(client, world.a.friend_member).get(PROGRESS)
    assert "once your liaison has verified your first survey" in body_of(response)
    response = signed_in(client, world.b.seed_member).get(PROGRESS)
    assert "once your liaison has verified your first survey" in body_of(response)
    assert "600.00" not in body_of(response) and usd("600") not in body_of(response)


def test_the_progress_page_makes_as_many_queries_for_3_months_as_for_24(
    world, client, django_assert_max_num_queries
):
    signed_in(client, world.a.seed_member)
    for n in range(3):
        survey(world.a, n, wages=f"{100 + n}.00")
    client.get(PROGRESS)
    with CaptureQueriesContext(connection) as three:
        response = client.get(PROGRESS)
    assert response.status_code == 200
    assert len(response.context["progress"].months) == 3
    for n in range(3, 24):
        survey(world.a, n, wages=f"{100 + n}.00")
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as many:
        response = client.get(PROGRESS)
    assert response.status_code == 200
    assert len(response.context["progress"].months) == 24
    assert len(many) == len(three)


# The chart itself --------------------------------------------------------------------------------


def test_a_chart_escapes_every_text_it_is_given():
    svg = charts.line_chart(
        [("<script>alert(1)</script>", [(month(0), Decimal("5.00")), (month(1), None)])],
        "US<D",
        title='Income "&" <b>',
        baselines=[Decimal("5.00")],
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "US&lt;D" in svg
    assert "Income &quot;&amp;&quot; &lt;b&gt;" in svg


def test_a_chart_breaks_its_line_where_a_month_has_no_answer():
    svg = charts.line_chart(
        [
            (
                "Savings",
                [
                    (month(0), Decimal("1.00")),
                    (month(1), Decimal("2.00")),
                    (month(2), None),
                    (month(3), Decimal("-4.00")),
                    (month(4), Decimal("5.00")),
                ],
            )
        ],
        "USD",
        title="Savings",
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4
    assert "stroke-dasharray" not in svg  # no baseline given
    assert ">-5<" in svg or ">-4<" in svg or ">-6<" in svg  # the axis goes below zero


def test_a_chart_of_a_single_month_is_drawn():
    svg = charts.line_chart([("Income", [(month(0), Decimal("0.00"))])], "USD", title="Income")
    assert svg.count("<circle") == 1
    assert f"Income: {usd('0')} in {label(0)}" in svg


# Stipends ----------------------------------------------------------------------------------------


def _verified_this_month(tenant):
    response = services.survey_create(
        seat=FamilySeat(user=tenant.seed_member, family=tenant.seed_family),
        period=timezone.localdate(),
        answers={**BASE, "income_wages": "1", "savings_balance": "1", "debt_high_cost": "0"},
        submit=True,
    )
    seat = policy.access_partner(tenant.staff, tenant.partner.slug)
    return services.survey_verify(seat=seat, response=response)


def test_the_stipends_page_shows_each_amount_with_its_currency_and_status(world, client):
    verified = _verified_this_month(world.a)
    older = survey(world.a, 0, wages="1.00")
    paid = Stipend.objects.create(
        partner=world.a.partner,
        family=world.a.seed_family,
        survey=older,
        amount=Decimal("25.00"),
        currency="USD",
        status=Stipend.Status.CANCELED,
    )
    response = signed_in(client, world.a.seed_member).get(STIPENDS)
    body = body_of(response)
    assert response.status_code == 200
    assert usd("25") in body
    assert "Earned, not yet scheduled" in body
    assert "Canceled" in body
    assert verified.period.strftime("%B %Y") in body
    assert response.context["totals"].waiting == Decimal("25.00")
    assert response.context["totals"].paid == Decimal("0.00")
    assert paid.pk  # canceled: neither paid nor waiting


def test_the_stipend_totals_count_paid_and_waiting(world, client):
    verified = _verified_this_month(world.a)
    seat = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.payment_batch_create(seat=seat, name="November")
    services.stipend_mark(seat=seat, stipend=verified.stipend, status="fulfilled")
    response = signed_in(client, world.a.seed_member).get(STIPENDS)
    body = body_of(response)
    assert "Paid" in body
    assert response.context["totals"].paid == Decimal("25.00")
    assert response.context["totals"].waiting == Decimal("0.00")
    assert f"<strong>{usd('25')}</strong>" in body
    assert f"<strong>{usd('0')}</strong>" in body


def test_a_family_sees_only_its_own_stipends(world, client):
    _verified_this_month(world.a)
    response = signed_in(client, world.a.friend_member).get(STIPENDS)
    assert "No stipend yet" in body_of(response)
    assert response.context["totals"].waiting == Decimal("0.00")
    response = signed_in(client, world.b.seed_member).get(STIPENDS)
    assert "No stipend yet" in body_of(response)
    assert "LRD" in body_of(response)  # partner B's currency for its totals
