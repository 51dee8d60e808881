"""Funders see open asks once they are public (after the friends-first days), filter them, read
an ask and pledge; pledges never go past what is left.

Pages: `/funder/` (open asks with filters, their pledges, partners they support) and
`/funder/asks/<id>/`.
"""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from families.access import FamilySeat
from tests import factories
from ventures import services
from ventures.models import ExchangeRate, FundingAsk, Pledge, Venture
from ventures.services import PlanInput

HOME = reverse("funder_home")


def money(amount: str, currency: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), currency, locale="en")


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def seat_of(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def signed_in(client, user):
    client.force_login(user)
    return client


def a_venture(tenant, **changes) -> Venture:
    values = {
        "name": "Tamales on Saturdays",
        "kind": "new",
        "sector": "food",
        "description": "Tamales sold from a basket at the market.",
        "location": "Riverside market",
        "visibility": "public",
        "plan": PlanInput(
            budget_lines=[("Steamer", "80.00"), ("Cooler", "45.50")],
            milestones=[("First market day", days_from_today(30))],
        ),
    }
    return services.venture_create(seat=seat_of(tenant), **{**values, **changes})


def an_open_ask(tenant, venture=None, *, friends_first_days=0, **changes) -> FundingAsk:
    venture = venture or a_venture(tenant)
    values = {
        "kind": "donation",
        "amount": "300.00",
        "purpose": "A steamer and a cooler",
        "deadline": days_from_today(60),
    }
    ask = services.ask_create(
        seat=seat_of(tenant),
        venture=venture,
        friends_first_days=friends_first_days,
        **{**values, **changes},
    )
    tenant.partner.funding_asks_need_review = False
    tenant.partner.save()
    return services.ask_submit(seat=seat_of(tenant), ask=ask)


def ask_url(ask) -> str:
    return reverse("funder_ask_detail", args=[ask.pk])


# The home page -----------------------------------------------------------------------------------


def test_a_funder_sees_open_asks_of_every_partner_with_an_approximate_usd_value(world, client):
    ask_a = an_open_ask(world.a, a_venture(world.a, name="Tamales on Saturdays"))
    ask_b = an_open_ask(
        world.b,
        a_venture(world.b, name="Cassava mill", sector="agriculture"),
        kind="loan",
        amount="50000.00",
        repayment_months=10,
    )
    services.pledge_create(user=world.b.funder, ask=ask_a, amount="120.00")

    response = signed_in(client, world.a.funder).get(HOME)

    assert response.status_code == 200
    body = response.content.decode()
    assert [ask.pk for ask in response.context["asks"]] == sorted([ask_a.pk, ask_b.pk])
    assert "Tamales on Saturdays" in body and "Cassava mill" in body
    assert "Food" in body and "Farming" in body
    assert "US" in body and "LR" in body
    assert "Donation" in body and "Zero-interest loan" in body
    assert f"{money('50000.00', 'LRD')}" in body
    assert "no rate yet" in body
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in body
    assert "Partners you support" in body  # the aggregate outcomes are still there

    ExchangeRate.objects.create(currency="LRD", usd_per_unit=Decimal("0.0055"))
    FundingAsk.objects.filter(pk=ask_b.pk).update(
        usd_estimate=services.usd_estimate(Decimal("50000.00"), "LRD")
    )
    assert f"about {money('275.00', 'USD')}" in client.get(HOME).content.decode()


def test_drafts_asks_in_review_and_asks_still_for_friends_are_not_shown(world, client):
    venture = a_venture(world.a)
    draft = services.ask_create(
        seat=seat_of(world.a),
        venture=venture,
        kind="donation",
        amount="10",
        purpose="Draft",
        deadline=days_from_today(9),
    )
    in_review = services.ask_submit(
        seat=seat_of(world.a),
        ask=services.ask_create(
            seat=seat_of(world.a),
            venture=venture,
            kind="donation",
            amount="20",
            purpose="In review",
            deadline=days_from_today(9),
        ),
    )
    friends_only = an_open_ask(world.a, venture, friends_first_days=7)
    signed_in(client, world.a.funder)

    home = client.get(HOME)
    assert home.status_code == 200
    assert "No open ask matches." in home.content.decode()
    assert list(home.context["asks"]) == []
    for ask in [draft, in_review, friends_only]:
        assert client.get(ask_url(ask)).status_code == 404


def test_an_ask_reaches_funders_once_its_friends_first_days_are_over(world, client):
    ask = an_open_ask(world.a, friends_first_days=7)
    assert ask.public_from > timezone.now()
    signed_in(client, world.a.funder)
    assert client.get(ask_url(ask)).status_code == 404
    assert client.post(ask_url(ask), {"amount": "10"}).status_code == 404
    assert not Pledge.objects.exists()

    FundingAsk.objects.filter(pk=ask.pk).update(
        public_from=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(ask_url(ask)).status_code == 200
    assert [a.pk for a in client.get(HOME).context["asks"]] == [ask.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "LR"}, ["Cassava mill"]),
        ({"country": "US"}, ["Tamales on Saturdays", "Tailoring"]),
        ({"sector": "crafts"}, ["Tailoring"]),
        ({"kind": "loan"}, ["Cassava mill"]),
        ({"min_amount": "250"}, ["Tamales on Saturdays", "Cassava mill"]),
        ({"max_amount": "250"}, ["Tailoring"]),
        ({"country": "US", "min_amount": "50", "max_amount": "400"}, ["Tamales on Saturdays"]),
    ],
)
def test_the_funder_home_filters_asks(world, client, query, expected):
    an_open_ask(world.a, a_venture(world.a, name="Tamales on Saturdays"), amount="300")
    an_open_ask(
        world.a,
        a_venture(world.a, name="Tailoring", sector="crafts"),
        amount="40",
        deadline=days_from_today(90),
    )
    an_open_ask(
        world.b,
        a_venture(world.b, name="Cassava mill", sector="agriculture"),
        kind="loan",
        amount="50000.00",
        repayment_months=10,
        deadline=days_from_today(70),
    )
    response = signed_in(client, world.a.funder).get(HOME, query)
    assert response.status_code == 200
    assert [ask.venture.name for ask in response.context["asks"]] == expected


def test_bad_filters_are_refused_naming_the_field(world, client):
    an_open_ask(world.a)
    signed_in(client, world.a.funder)
    response = client.get(HOME, {"min_amount": "lots"})
    assert response.status_code == 400
    assert "min_amount" in response.context["filter_form"].errors
    response = client.get(HOME, {"min_amount": "500", "max_amount": "100"})
    assert response.status_code == 400
    assert "max_amount" in response.context["filter_form"].errors
    response = client.get(HOME, {"country": "ZZ"})
    assert response.status_code == 400
    assert "country" in response.context["filter_form"].errors


def test_the_funder_home_lists_their_pledges_with_their_status(world, client):
    ask = an_open_ask(world.a)
    pledge = services.pledge_create(user=world.a.funder, ask=ask, amount="100.00")
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.pledge_mark(seat=staff, pledge=pledge, status=Pledge.Status.RECEIVED)
    services.pledge_create(user=world.b.funder, ask=ask, amount="50.00")

    response = signed_in(client, world.a.funder).get(HOME)

    assert [p.pk for p in response.context["pledges"]] == [pledge.pk]
    body = response.content.decode()
    assert "Money received by the partner" in body
    assert f"{money('100.00', 'USD')}" in body


def test_people_who_are_not_funders_get_404_on_funder_pages(world, client):
    ask = an_open_ask(world.a)
    for user in [world.a.seed_member, world.a.staff, world.a.admin, world.outsider]:
        signed_in(client, user)
        assert client.get(HOME).status_code == 404
        assert client.get(ask_url(ask)).status_code == 404
        assert client.post(ask_url(ask), {"amount": "10"}).status_code == 404
    assert not Pledge.objects.exists()


# An ask ------------------------------------------------------------------------------------------


def test_a_funder_reads_an_ask_and_what_the_venture_made_public(world, client):
    venture = a_venture(world.a)
    services.venture_post_update(
        seat=seat_of(world.a),
        venture=venture,
        period=timezone.localdate(),
        revenue="420",
        costs="180",
        household_jobs=2,
        note="A private note",
    )
    steamer = venture.plans.get().budget_lines.get(item="Steamer")
    ask = an_open_ask(world.a, venture, budget_line_ids=[steamer.pk])

    response = signed_in(client, world.a.funder).get(ask_url(ask))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Tamales on Saturdays" in body
    assert "Tamales sold from a basket at the market." in body
    assert "Riverside market" in body
    assert f"Steamer: {money('80.00', 'USD')}" in body
    assert "Cooler" not in body  # not a line this ask funds
    assert "First market day" in body
    assert (
        f"1 month reported: {money('420.00', 'USD')} revenue and "
        f"{money('180.00', 'USD')} costs in all." in body
    )
    assert f"{money('0.00', 'USD')} of {money('300.00', 'USD')} pledged" in body
    assert "Seed household A" not in body  # the families stay private
    assert "A private note" not in body


def test_a_funder_pledges_and_the_progress_moves(world, client):
    ask = an_open_ask(world.a)
    signed_in(client, world.a.funder)

    response = client.post(ask_url(ask), {"amount": "120.00"})

    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.amount, pledge.currency, pledge.funder.user) == (
        Decimal("120.00"),
        "USD",
        world.a.funder,
    )
    body = client.get(ask_url(ask)).content.decode()
    assert f"Thank you: you pledged {money('120.00', 'USD')} to Tamales on Saturdays." in body
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in body
    assert f"Still needed: {money('180.00', 'USD')}." in body


def test_a_pledge_over_what_is_left_is_refused_with_the_message_and_nothing_written(world, client):
    ask = an_open_ask(world.a)
    services.pledge_create(user=world.b.funder, ask=ask, amount="200.00")
    signed_in(client, world.a.funder)

    response = client.post(ask_url(ask), {"amount": "150.00"})

    assert response.status_code == 409
    assert "Only $100.00 is still needed." in response.content.decode()
    assert "amount" in response.context["form"].errors
    assert Pledge.objects.count() == 1
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_a_pledge_of_nothing_is_refused_naming_the_field(world, client, amount):
    ask = an_open_ask(world.a)
    response = signed_in(client, world.a.funder).post(ask_url(ask), {"amount": amount})
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not Pledge.objects.exists()


def test_the_last_pledge_funds_the_ask_and_the_funder_still_sees_it(world, client):
    ask = an_open_ask(world.a)
    signed_in(client, world.a.funder)
    client.post(ask_url(ask), {"amount": "300.00"})
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.FUNDED

    response = client.get(ask_url(ask))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Funded" in response.content.decode()
    refused = client.post(ask_url(ask), {"amount": "1.00"}, follow=True)
    assert refused.status_code == 200
    assert "This ask no longer takes pledges." in refused.content.decode()
    assert Pledge.objects.count() == 1

    # Another funder, who did not pledge, no longer reaches it.
    other = factories.FunderProfileFactory().user
    assert signed_in(client, other).get(ask_url(ask)).status_code == 404


def test_a_funder_of_a_loan_sees_its_repayments(world, client):
    ask = an_open_ask(world.a, kind="loan", amount="300.00", repayment_months=3)
    services.pledge_create(user=world.a.funder, ask=ask, amount="300.00")
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    ask.refresh_from_db()
    first, *_rest = services.repayment_schedule_create(
        seat=staff, ask=ask, first_due_on=days_from_today(-40)
    )
    services.repayment_record(
        seat=staff, repayment=first, amount="100.00", paid_on=days_from_today(-35)
    )

    body = signed_in(client, world.a.funder).get(ask_url(ask)).content.decode()

    assert "1 of 3 instalments paid." in body
    assert "paid on" in body
    assert "due" in body


# Query counts ------------------------------------------------------------------------------------


def _many_open_asks(tenant, count: int, funder) -> None:
    """Open public asks, each with a pledge of the funder's."""
    group = factories.GroupFactory(cohort=tenant.cohort, name=f"Busy group {count}")
    now = timezone.now()
    for n in range(count):
        family = factories.FamilyFactory(group=group, name=f"Household {count}-{n}")
        venture = Venture.objects.create(
            partner=tenant.partner,
            cohort=tenant.cohort,
            name=f"Venture {count}-{n:03}",
            kind="new",
            sector="food",
            description="Food",
            visibility="public",
        )
        venture.owners.add(family)
        ask = FundingAsk.objects.create(
            partner=tenant.partner,
            venture=venture,
            kind="donation",
            amount="100.00",
            currency=tenant.partner.currency,
            purpose="Stock",
            deadline=days_from_today(30),
            state=FundingAsk.State.OPEN,
            opened_at=now,
            public_from=now,
        )
        Pledge.objects.create(
            partner=tenant.partner, ask=ask, funder=funder, amount="10.00", currency=ask.currency
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_funder_home_query_count_does_not_grow_with_asks(world, client):
    signed_in(client, world.a.funder)
    an_open_ask(world.a)
    funder = world.a.funder.funder_profile
    _many_open_asks(world.a, 10, funder)
    few = _queries(client, HOME)
    _many_open_asks(world.b, 90, funder)
    many = _queries(client, HOME)
    assert many == few
