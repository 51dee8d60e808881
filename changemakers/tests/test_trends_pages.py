"""Trend pages: the partner's and a cohort's months for staff and liaisons (liaisons: their
cohorts only), the outcomes a funder may see (aggregates only), and countries compared for
platform admins. Every page says what the figures mean; partner B's people get 404."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from changemakers import trends
from changemakers.models import TrendAggregate
from changemakers.tests.test_trends_api import (
    FEB,
    JAN,
    MAR,
    aggregate,
    funder_without_access,
    other_liaison,
    partner_b_people,
)
from changemakers.tests.trend_data import survey
from tests import factories
from ventures.models import ExchangeRate

IMPROVED_MEANS = (
    "A family has improved when its income or net position is above its baseline and neither "
    "is below it."
)
VERIFIED_ONLY = "Only verified surveys count."


def usd(amount: str) -> str:
    """An amount as Babel writes it in English; a rise gets the plus sign."""
    text = format_currency(Decimal(amount), "USD", locale="en")
    return "+" + text if amount.startswith("+") else text


def partner_page(tenant) -> str:
    return reverse("partner_trends", kwargs={"partner_slug": tenant.partner.slug})


def cohort_page(tenant, cohort=None) -> str:
    return reverse(
        "cohort_trends",
        kwargs={"partner_slug": tenant.partner.slug, "cohort_id": (cohort or tenant.cohort).pk},
    )


def text_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


def platform_admin():
    user = factories.UserFactory(email="operator@example.org", is_superuser=True)
    factories.enable_totp(user)
    return user


@pytest.fixture
def months(world):
    """Cohort A has three months, its group one, the partner one."""
    a = world.a
    aggregate(a.cohort, JAN, median_income_change=Decimal("0.00"), median_income_change_pct=None)
    aggregate(a.cohort, FEB)
    aggregate(
        a.cohort,
        MAR,
        families=12,
        median_income_change=Decimal("210.50"),
        median_income_change_pct=Decimal("17.54"),
        share_improved=Decimal("0.7500"),
    )
    aggregate(a.group, MAR, families=2, median_income_change=Decimal("99.00"))
    aggregate(
        a.partner,
        MAR,
        families=40,
        median_income_change=Decimal("175.25"),
        median_income_change_pct=Decimal("-3.10"),
        median_net_change=Decimal("-20.00"),
        benefits_share=Decimal("0.2250"),
        help_value=Decimal("610.00"),
        jobs=7,
    )
    aggregate(world.b.partner, MAR, families=99, median_income_change=Decimal("4444.00"))
    return a


# The partner's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_see_the_partners_months_chart_table_and_cohorts(world, client, months, role):
    client.force_login(getattr(world.a, role))

    response = client.get(partner_page(world.a))

    assert response.status_code == 200
    body = text_of(response)
    assert VERIFIED_ONLY in body and IMPROVED_MEANS in body
    assert "against the family&#x27;s baseline (its first verified month)" in body
    assert "<svg" in body and 'role="img"' in body
    # The partner's month: families, median change and %, share improved, benefits, help, jobs.
    for figure in ("40", usd("+175.25"), "-3.10%", usd("-20"), "60%", "23%", usd("610"), "7"):
        assert f"<td>{figure}</td>" in body, figure
    assert "Median income change (USD)" in body
    # The cohorts' latest month, linking to each cohort's page.
    assert f'href="{cohort_page(world.a)}"' in body
    assert "<td>12</td>" in body and usd("+210.50") in body and "75%" in body
    assert "4,444" not in body  # partner B's


def test_the_explanation_follows_the_partners_baseline_setting(world, client, months):
    world.a.partner.baseline_months = 3
    world.a.partner.save(update_fields=["baseline_months"])
    client.force_login(world.a.staff)

    body = text_of(client.get(partner_page(world.a)))

    assert "(the mean of its first 3 verified months)" in body


def test_a_liaison_reads_their_cohorts_trends_but_not_the_partners_months(world, client, months):
    liaison, own = other_liaison(world.a)
    aggregate(own, FEB, families=4)
    client.force_login(liaison)

    refused = client.get(partner_page(world.a))

    assert refused.status_code == 403
    assert "Not allowed" in text_of(refused, 403)
    assert "+175.25" not in text_of(refused, 403)
    own_page = client.get(cohort_page(world.a, own))
    assert own_page.status_code == 200
    body = text_of(own_page)
    assert "Another cohort" in body
    assert f'href="{partner_page(world.a)}"' not in body  # no link to what they may not open


def test_before_any_verified_survey_the_page_says_so(world, client):
    client.force_login(world.a.staff)

    response = client.get(partner_page(world.a))

    assert response.status_code == 200
    body = text_of(response)
    assert "No verified surveys yet" in body
    assert "<svg" not in body
    assert "No verified data yet." in body  # cohort A's row


def test_the_partner_page_takes_the_same_queries_for_3_or_12_cohorts(world, client):
    def add_cohorts(n):
        for _ in range(n):
            cohort = factories.CohortFactory(partner=world.a.partner)
            aggregate(cohort, JAN)
            aggregate(cohort, FEB)

    def count() -> int:
        client.force_login(world.a.staff)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(partner_page(world.a))
        assert response.status_code == 200
        return len(captured), text_of(response).count("No verified data yet.")

    aggregate(world.a.partner, FEB)
    add_cohorts(2)
    few, empty_few = count()
    add_cohorts(9)
    many, empty_many = count()
    assert (empty_few, empty_many) == (1, 1)  # cohort A alone has no data
    assert few == many


# The cohort's page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_its_liaison_see_the_cohorts_months_and_its_groups(world, client, months, role):
    client.force_login(getattr(world.a, role))

    response = client.get(cohort_page(world.a))

    assert response.status_code == 200
    body = text_of(response)
    assert VERIFIED_ONLY in body and IMPROVED_MEANS in body
    assert "<svg" in body
    assert usd("+210.50") in body and "+17.54%" in body and "75%" in body
    # July's median was exactly 0 and its percent unknown: 0 shows, the percent is blank.
    assert f"<td>{usd('0')}</td>" in body
    assert "no figure" in body
    # The group's latest month.
    assert "Group A" in body and usd("+99") in body


def test_staff_get_a_link_to_the_practices_spreading_there_and_liaisons_do_not(
    world, client, months
):
    diffusion = reverse(
        "cohort_diffusion",
        kwargs={"partner_slug": world.a.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    client.force_login(world.a.staff)
    assert f'href="{diffusion}"' in text_of(client.get(cohort_page(world.a)))
    client.force_login(world.a.liaison)
    liaison_view = text_of(client.get(cohort_page(world.a)))
    assert "Cohort A" in liaison_view
    assert f'href="{diffusion}"' not in liaison_view


def test_a_liaison_of_another_cohort_gets_404(world, client, months):
    liaison, own = other_liaison(world.a)
    client.force_login(liaison)

    assert client.get(cohort_page(world.a)).status_code == 404
    assert client.get(cohort_page(world.a, own)).status_code == 200


def test_the_cohort_page_takes_the_same_queries_for_3_or_12_groups(world, client):
    def add_groups(n):
        for _ in range(n):
            group = factories.GroupFactory(cohort=world.a.cohort)
            aggregate(group, JAN)
            aggregate(group, FEB)

    def count() -> int:
        client.force_login(world.a.staff)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(cohort_page(world.a))
        assert response.status_code == 200
        return len(captured)

    aggregate(world.a.cohort, FEB)
    add_groups(2)
    few = count()
    add_groups(9)
    assert count() == few


def test_partner_b_people_families_and_funders_get_404_on_staff_pages(world, client, months):
    users = {
        **partner_b_people(world),
        "family A": world.a.seed_member,
        "funder A": world.a.funder,
        "platform admin": platform_admin(),
    }
    for label, user in users.items():
        client.force_login(user)
        for url in (partner_page(world.a), cohort_page(world.a)):
            response = client.get(url)
            assert response.status_code == 404, f"{label} {url}"
            assert "Not found" in text_of(response, 404)
            assert "+210.50" not in text_of(response, 404)


def test_the_staff_home_and_the_cohort_page_link_to_trends(world, client):
    client.force_login(world.a.staff)

    home = text_of(client.get(reverse("partner_home", args=[world.a.partner.slug])))
    detail = text_of(
        client.get(reverse("cohort_detail", args=[world.a.partner.slug, world.a.cohort.pk]))
    )

    assert f'href="{partner_page(world.a)}"' in home
    assert f'href="{cohort_page(world.a)}"' in detail


# Funders ---------------------------------------------------------------------------------------


def test_a_funder_sees_the_outcomes_of_partners_with_access_aggregates_only(world, client, months):
    client.force_login(world.a.funder)

    response = client.get(reverse("funder_outcomes"))

    assert response.status_code == 200
    body = text_of(response)
    assert "Partner A" in body
    assert VERIFIED_ONLY in body and IMPROVED_MEANS in body
    assert usd("+175.25") in body and "<td>40</td>" in body  # the partner's month
    assert "Cohort A" in body and usd("+210.50") in body  # the cohort's latest month
    assert "<svg" in body
    # Never a group or a family, never another partner.
    assert "Group A" not in body and usd("+99") not in body
    assert "Seed household" not in body and "Friend household" not in body
    assert "Partner B" not in body and "4,444" not in body
    # No link into the staff pages.
    assert "/p/partner-a/" not in body


def test_a_funder_without_access_sees_nothing_of_any_partner(world, client, months):
    client.force_login(funder_without_access())

    body = text_of(client.get(reverse("funder_outcomes")))

    assert "No partner has shared its outcomes with you yet." in body
    assert "Partner A" not in body and "+175.25" not in body


def test_the_outcomes_page_is_404_for_anyone_not_a_funder(world, client, months):
    for user in (world.a.staff, world.a.seed_member, world.outsider):
        client.force_login(user)
        assert client.get(reverse("funder_outcomes")).status_code == 404


def test_the_funder_home_links_to_the_outcomes(world, client):
    client.force_login(world.a.funder)

    body = text_of(client.get(reverse("funder_home")))

    assert f'href="{reverse("funder_outcomes")}"' in body


# Platform admins -------------------------------------------------------------------------------


def country_row(country, period, **values):
    row = {
        "families": 10,
        "median_income_change": Decimal("50.00"),
        "median_income_change_pct": Decimal("8.00"),
        "median_net_change": Decimal("20.00"),
        "median_net_change_pct": Decimal("4.00"),
        "share_improved": Decimal("0.5000"),
        "income_total": Decimal("9000.00"),
        "benefits_total": Decimal("900.00"),
        "benefits_share": Decimal("0.1000"),
        "help_value": Decimal("120.00"),
        "jobs": 2,
    }
    row.update(values)
    return TrendAggregate.objects.create(
        scope="country",
        scope_key=f"country:{country}",
        country=country,
        period=period,
        currency="USD",
        computed_at=timezone.now(),
        **row,
    )


def test_platform_admins_compare_countries_and_see_which_currencies_lack_a_rate(world, client):
    country_row("US", FEB)
    country_row("US", MAR, median_income_change_pct=Decimal("11.25"), families=30)
    country_row(
        "LR", MAR, median_income_change_pct=Decimal("-2.50"), income_total=None, help_value=None
    )
    client.force_login(platform_admin())

    response = client.get(reverse("platform_trends"))

    assert response.status_code == 200
    body = text_of(response)
    assert VERIFIED_ONLY in body and IMPROVED_MEANS in body
    assert "<svg" in body
    assert "+11.25%" in body and "<td>30</td>" in body and "-2.50%" in body
    assert "Income (USD)" in body and f"<td>{usd('9000')}</td>" in body
    # Partner B's Liberian dollars have no rate: said, and named.
    assert "These currencies have no exchange rate" in body
    assert "<strong>LRD</strong>: Partner B (LR)" in body


def test_with_every_rate_known_nothing_is_said_to_be_left_out(world, client):
    ExchangeRate.objects.create(currency="LRD", usd_per_unit=Decimal("0.0052"))
    client.force_login(platform_admin())

    body = text_of(client.get(reverse("platform_trends")))

    assert "These currencies have no exchange rate" not in body
    assert "No verified surveys yet in any country." in body


def test_the_platform_page_is_404_for_everyone_else(world, client):
    for user in (world.a.admin, world.a.funder, world.a.seed_member, world.outsider):
        client.force_login(user)
        assert client.get(reverse("platform_trends")).status_code == 404


# From verified surveys to the pages -------------------------------------------------------------


def test_verified_surveys_through_the_job_to_the_pages(world, client):
    a, b = world.a, world.b
    survey(a.seed_family, JAN, income_wages=1000)
    survey(a.seed_family, FEB, income_wages=1300)
    survey(a.friend_family, JAN, income_wages=500)
    survey(a.friend_family, FEB, income_wages=600)
    survey(b.seed_family, JAN, income_wages=2000)
    survey(b.seed_family, FEB, income_wages=1000)
    for partner in (a.partner, b.partner):
        trends.recompute_partner(partner.pk)
    trends.recompute_countries()

    client.force_login(a.staff)
    body = text_of(client.get(cohort_page(a)))
    # August: +300 (30%) and +100 (20%): median +200, 25%; both improved.
    assert (
        f"<td>{usd('+200')}</td>" in body and "<td>+25.00%</td>" in body and "<td>100%</td>" in body
    )
    assert "Group A" in body

    client.force_login(a.funder)
    body = text_of(client.get(reverse("funder_outcomes")))
    # Two families are too few to show a funder: it would show those families' own changes.
    assert f"<td>{usd('+200')}</td>" not in body and "-50.00%" not in body
    for number in range(3):
        family = factories.FamilyFactory(group=a.group, name=f"Neighbour {number}")
        survey(family, JAN, income_wages=400)
        survey(family, FEB, income_wages=600)
    trends.recompute_partner(a.partner.pk)
    body = text_of(client.get(reverse("funder_outcomes")))
    assert f"<td>{usd('+200')}</td>" in body and "-50.00%" not in body  # five families now

    client.force_login(platform_admin())
    body = text_of(client.get(reverse("platform_trends")))
    assert "<td>+25.00%</td>" in body  # US
    assert "<td>-50.00%</td>" in body  # Liberia: counted in percent
    assert "<strong>LRD</strong>" in body  # but not in US dollar sums
    assert f"<td>{usd('1900')}</td>" in body  # US income in August, in dollars
