"""Staff's and liaisons' venture pages: their cohorts' ventures (read-only), the asks waiting
for the partner's check (approve, or decline with a reason; never edit), pledges' money
(received, passed to the family, fell through: each asked first), a funded loan's repayments;
and the platform admins' rate table. Liaisons read but do not check asks or record money (403);
another partner's people get 404."""

import datetime
import html
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.models import AuditEvent
from families.access import FamilySeat
from tests import clock
from tests.factories import (
    CohortFactory,
    FamilyFactory,
    GroupFactory,
    HouseholdMemberFactory,
    UserFactory,
    enable_totp,
)
from tests.seats import seed_seat
from ventures import services
from ventures.models import AskReview, ExchangeRate, FundingAsk, Pledge, Repayment, Venture

# Helpers ----------------------------------------------------------------------------------------


def money(amount: str, currency: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), currency, locale="en")


def later(days=60) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def staff_seat(tenant):
    return policy.access_partner(tenant.staff, tenant.partner.slug)


def a_venture(tenant, *, seat=None, name="Tamales on Saturdays", visibility="public"):
    return services.venture_create(
        seat=seat or seed_seat(tenant),
        name=name,
        kind="new",
        sector="food",
        description="Tamales sold from a basket at the market.",
        visibility=visibility,
        plan=services.PlanInput(
            budget_lines=[("Steamer", "80.00"), ("Cooler", "45.50")],
            milestones=[("First market day", later(30))],
            expected_monthly_revenue="400",
        ),
    )


def an_ask(tenant, venture=None, *, kind="donation", amount="300.00", submit=True, days=0):
    venture = venture or a_venture(tenant)
    seat = FamilySeat(user=tenant.seed_member, family=venture.owners.first())
    ask = services.ask_create(
        seat=seat,
        venture=venture,
        kind=kind,
        amount=amount,
        purpose="A steamer and a cooler",
        deadline=later(),
        friends_first_days=days,
        repayment_months=3 if kind == "loan" else None,
    )
    if submit:
        ask = services.ask_submit(seat=seat, ask=ask)
    return ask


def an_open_ask(tenant, **kwargs):
    ask = an_ask(tenant, **kwargs)
    return services.ask_review(seat=staff_seat(tenant), ask=ask, decision="approve")


def a_pledge(tenant, ask, amount="100.00"):
    return services.pledge_create(user=tenant.funder, ask=ask, amount=amount)


def funded_loan(tenant):
    ask = an_open_ask(tenant, kind="loan", amount="300.00")
    a_pledge(tenant, ask, "300.00")
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.FUNDED
    return ask


def url(name, tenant, **kwargs):
    return reverse(name, kwargs={"partner_slug": tenant.partner.slug, **kwargs})


def text(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return html.unescape(response.content.decode())


def main_part(response) -> str:
    """The page's own content, without the site's header and footer."""
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


def signed_in(client, user):
    client.force_login(user)
    return client


def b_people(world):
    return [
        world.b.admin,
        world.b.staff,
        world.b.liaison,
        world.b.seed_member,
        world.b.funder,
        world.outsider,
    ]


def other_cohort_venture(tenant, name="Bakery across town"):
    """A venture of a cohort the liaison is not assigned to."""
    cohort = CohortFactory(partner=tenant.partner, name="Cohort elsewhere")
    family = FamilyFactory(group=GroupFactory(cohort=cohort), name="Household elsewhere")
    member = HouseholdMemberFactory(family=family)
    return a_venture(tenant, seat=FamilySeat(user=member.user, family=family), name=name)


# The ventures list -----------------------------------------------------------------------------


def test_staff_see_their_partners_ventures_with_asks_state_and_progress(world, client):
    ask = an_open_ask(world.a, amount="300.00")
    a_pledge(world.a, ask, "120.00")
    response = signed_in(client, world.a.staff).get(url("staff_ventures", world.a))
    assert response.status_code == 200
    page = text(response)
    assert "Tamales on Saturdays" in page
    assert "Seed household A" in page
    assert "Open" in page
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in page
    assert url("staff_ask_detail", world.a, ask_id=ask.pk) in page


def test_the_ventures_page_is_read_only(world, client):
    an_ask(world.a)
    page = main_part(signed_in(client, world.a.staff).get(url("staff_ventures", world.a)))
    assert "Tamales on Saturdays" in page
    assert 'method="post"' not in page
    assert "only the families change them" in page


def test_drafts_are_the_familys_own_business(world, client):
    an_ask(world.a, submit=False)
    page = text(signed_in(client, world.a.staff).get(url("staff_ventures", world.a)))
    assert "Tamales on Saturdays" in page
    assert "Draft" not in page
    assert "No funding ask sent." in page


def test_liaisons_see_only_their_cohorts_ventures(world, client):
    a_venture(world.a)
    other_cohort_venture(world.a)
    page = text(signed_in(client, world.a.liaison).get(url("staff_ventures", world.a)))
    assert "Tamales on Saturdays" in page
    assert "Bakery across town" not in page
    page = text(signed_in(client, world.a.staff).get(url("staff_ventures", world.a)))
    assert "Bakery across town" in page


def test_ventures_filter_by_cohort_and_ask_state(world, client):
    an_ask(world.a)  # in review
    elsewhere = other_cohort_venture(world.a)
    client = signed_in(client, world.a.staff)
    page = text(client.get(url("staff_ventures", world.a), {"cohort": elsewhere.cohort_id}))
    assert "Bakery across town" in page
    assert "Tamales on Saturdays" not in page
    page = text(client.get(url("staff_ventures", world.a), {"state": "in_review"}))
    assert "Tamales on Saturdays" in page
    assert "Bakery across town" not in page
    page = text(client.get(url("staff_ventures", world.a), {"state": "funded"}))
    assert "No venture matches these filters." in page


def test_a_bad_filter_is_a_400_that_still_shows_the_list(world, client):
    a_venture(world.a)
    response = signed_in(client, world.a.liaison).get(
        url("staff_ventures", world.a), {"cohort": "999999", "state": "nonsense"}
    )
    assert response.status_code == 400
    assert "Tamales on Saturdays" in text(response, 400)


def test_the_ventures_page_needs_no_more_queries_for_more_ventures(world, client):
    def make(n):
        for i in range(n):
            ask = an_open_ask(world.a, venture=a_venture(world.a, name=f"Venture {i:03d}"))
            a_pledge(world.a, ask, "10.00")

    client = signed_in(client, world.a.staff)
    make(10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("staff_ventures", world.a)).status_code == 200
    make(90)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("staff_ventures", world.a))
    assert response.status_code == 200
    assert "Page 1 of 4" in text(response)
    assert len(many) == len(few)


# The queue of asks to check --------------------------------------------------------------------


def test_the_queue_lists_asks_waiting_for_the_check_oldest_first(world, client):
    first = an_ask(world.a, venture=a_venture(world.a, name="Alpha stall"))
    second = an_ask(world.a, venture=a_venture(world.a, name="Beta stall"))
    FundingAsk.objects.filter(pk=second.pk).update(
        created_at=first.created_at - datetime.timedelta(days=1)
    )
    an_open_ask(world.a, venture=a_venture(world.a, name="Gamma stall"))
    page = text(signed_in(client, world.a.staff).get(url("ask_review_queue", world.a)))
    assert page.index("Beta stall") < page.index("Alpha stall")
    assert "Gamma stall" not in page
    assert "compliance check only" in page


def test_the_staff_home_says_how_many_asks_wait(world, client):
    an_ask(world.a)
    an_ask(world.a, venture=a_venture(world.a, name="Second"))
    page = text(signed_in(client, world.a.staff).get(url("partner_home", world.a)))
    assert url("staff_ventures", world.a) in page
    assert "Ventures and funding" in page
    assert "2 asks to check" in page


def test_liaisons_get_403_on_the_queue(world, client):
    an_ask(world.a)
    response = signed_in(client, world.a.liaison).get(url("ask_review_queue", world.a))
    assert response.status_code == 403


def test_another_partners_people_get_404_on_every_staff_page(world, client):
    ask = an_open_ask(world.a)
    pledge = a_pledge(world.a, ask)
    loan = funded_loan(world.a)
    repayment = services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=loan, first_due_on=later(10)
    )[0]
    for user in b_people(world):
        client = signed_in(client, user)
        for page in [
            url("staff_ventures", world.a),
            url("ask_review_queue", world.a),
            url("staff_ask_detail", world.a, ask_id=ask.pk),
            url("staff_ask_detail", world.b, ask_id=ask.pk),
        ]:
            assert client.get(page).status_code == 404, (user, page)
        assert (
            client.post(
                url("staff_ask_detail", world.a, ask_id=ask.pk), {"action": "approve"}
            ).status_code
            == 404
        )
        for mark in [url("pledge_mark", world.a, pledge_id=pledge.pk)]:
            assert client.post(mark, {"status": "received", "confirm": "True"}).status_code == 404
        record = url("repayment_record", world.a, repayment_id=repayment.pk)
        posted = client.post(
            record, {"amount": "10", "paid_on": timezone.localdate(), "confirm": "True"}
        )
        assert posted.status_code == 404
    # B's own address with A's ids is not B's either
    client = signed_in(client, world.b.staff)
    assert client.get(url("staff_ask_detail", world.b, ask_id=ask.pk)).status_code == 404
    assert (
        client.post(
            url("pledge_mark", world.b, pledge_id=pledge.pk),
            {"status": "received", "confirm": "True"},
        ).status_code
        == 404
    )
    pledge.refresh_from_db()
    repayment.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED
    assert repayment.amount_paid == Decimal("0.00")


# One ask: the check ----------------------------------------------------------------------------


def test_the_ask_page_shows_the_ask_its_venture_and_plan(world, client):
    ask = an_ask(world.a)
    page = text(
        signed_in(client, world.a.staff).get(url("staff_ask_detail", world.a, ask_id=ask.pk))
    )
    assert "A steamer and a cooler" in page
    assert "Tamales sold from a basket at the market." in page
    assert "Steamer" in page and f"{money('80.00', 'USD')}" in page
    assert "Cooler" in page and f"{money('45.50', 'USD')}" in page
    assert "First market day" in page
    assert "Waiting for the partner's check" in page
    assert "compliance check only" in page
    assert "Nothing here changes the ask" in page
    assert 'name="amount"' not in page and 'name="purpose"' not in page


def test_approving_asks_first_then_publishes(world, client):
    ask = an_ask(world.a)
    client = signed_in(client, world.a.staff)
    page_url = url("staff_ask_detail", world.a, ask_id=ask.pk)
    asked = client.post(page_url, {"action": "approve"})
    assert asked.status_code == 200
    assert "Approve this ask?" in text(asked)
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW
    done = client.post(page_url, {"action": "approve", "confirm": "True"})
    assert done.status_code == 302
    assert done["Location"] == url("ask_review_queue", world.a)
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN
    assert AskReview.objects.get(ask=ask).reviewer == world.a.staff
    assert AuditEvent.objects.filter(verb="ask.review", actor=world.a.staff).exists()


def test_declining_needs_a_reason_and_writes_nothing_without_one(world, client):
    ask = an_ask(world.a)
    client = signed_in(client, world.a.staff)
    page_url = url("staff_ask_detail", world.a, ask_id=ask.pk)
    response = client.post(page_url, {"action": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Say why, so the family can change it." in text(response, 400)
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW
    assert not AskReview.objects.exists()
    response = client.post(
        page_url, {"action": "decline", "reason": "Please name what the cooler is for."}
    )
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.DECLINED
    assert AskReview.objects.get(ask=ask).reason == "Please name what the cooler is for."


def test_no_field_of_the_page_changes_the_ask(world, client):
    ask = an_ask(world.a, amount="300.00")
    client = signed_in(client, world.a.staff)
    client.post(
        url("staff_ask_detail", world.a, ask_id=ask.pk),
        {
            "action": "approve",
            "confirm": "True",
            "amount": "1.00",
            "purpose": "Something else",
            "deadline": clock.on(37, 1).isoformat(),
        },
    )
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN
    assert ask.amount == Decimal("300.00")
    assert ask.purpose == "A steamer and a cooler"
    assert ask.deadline == later()


def test_checking_an_ask_that_was_already_checked_is_a_409(world, client):
    ask = an_open_ask(world.a)
    response = signed_in(client, world.a.staff).post(
        url("staff_ask_detail", world.a, ask_id=ask.pk), {"action": "approve", "confirm": "True"}
    )
    assert response.status_code == 409
    assert "Nothing was changed" in text(response, 409)


def test_liaisons_read_the_ask_but_cannot_check_it(world, client):
    ask = an_ask(world.a)
    client = signed_in(client, world.a.liaison)
    page_url = url("staff_ask_detail", world.a, ask_id=ask.pk)
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Tamales on Saturdays" in text(page)
    assert "Approve" not in text(page)
    for data in [
        {"action": "approve", "confirm": "True"},
        {"action": "decline", "reason": "No"},
    ]:
        assert client.post(page_url, data).status_code == 403
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW
    assert not AskReview.objects.exists()


def test_a_liaison_of_another_cohort_gets_404(world, client):
    venture = other_cohort_venture(world.a)
    ask = an_ask(world.a, venture=venture)
    client = signed_in(client, world.a.liaison)
    assert client.get(url("staff_ask_detail", world.a, ask_id=ask.pk)).status_code == 404


def test_staff_never_reach_a_draft(world, client):
    ask = an_ask(world.a, submit=False)
    response = signed_in(client, world.a.staff).get(url("staff_ask_detail", world.a, ask_id=ask.pk))
    assert response.status_code == 404


# Pledges' money --------------------------------------------------------------------------------


def test_recording_a_pledges_money_asks_first_at_every_step(world, client):
    ask = an_open_ask(world.a)
    pledge = a_pledge(world.a, ask, "100.00")
    client = signed_in(client, world.a.staff)
    page = text(client.get(url("staff_ask_detail", world.a, ask_id=ask.pk)))
    assert "Money received" in page and "Fell through" in page
    mark = url("pledge_mark", world.a, pledge_id=pledge.pk)
    for status, label in [
        ("received", f"received the {money('100.00', 'USD')}"),
        ("fulfilled", "passed to the family"),
    ]:
        asked = client.post(mark, {"status": status})
        assert asked.status_code == 200
        assert label in text(asked)
        pledge.refresh_from_db()
        assert pledge.status != status
        done = client.post(mark, {"status": status, "confirm": "True"})
        assert done.status_code == 302
        assert done["Location"] == url("staff_ask_detail", world.a, ask_id=ask.pk)
        pledge.refresh_from_db()
        assert pledge.status == status
    assert AuditEvent.objects.filter(verb="pledge.mark").count() == 2


def test_a_pledge_that_fell_through_opens_a_funded_ask_again(world, client):
    ask = an_open_ask(world.a, amount="100.00")
    pledge = a_pledge(world.a, ask, "100.00")
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.FUNDED
    client = signed_in(client, world.a.staff)
    mark = url("pledge_mark", world.a, pledge_id=pledge.pk)
    asked = client.post(mark, {"status": "fell_through"})
    assert "fell through" in text(asked)
    assert client.post(mark, {"status": "fell_through", "confirm": "True"}).status_code == 302
    pledge.refresh_from_db()
    ask.refresh_from_db()
    assert pledge.status == Pledge.Status.FELL_THROUGH
    assert ask.state == FundingAsk.State.OPEN


def test_a_step_out_of_order_is_a_409_and_a_bad_status_a_400(world, client):
    ask = an_open_ask(world.a)
    pledge = a_pledge(world.a, ask)
    client = signed_in(client, world.a.staff)
    mark = url("pledge_mark", world.a, pledge_id=pledge.pk)
    assert client.post(mark, {"status": "fulfilled", "confirm": "True"}).status_code == 409
    bad = client.post(mark, {"status": "pledged", "confirm": "True"})
    assert bad.status_code == 400
    assert "Select a valid choice" in text(bad, 400)
    assert client.get(mark).status_code == 405
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED


def test_liaisons_cannot_record_pledges_money(world, client):
    ask = an_open_ask(world.a)
    pledge = a_pledge(world.a, ask)
    client = signed_in(client, world.a.liaison)
    page = text(client.get(url("staff_ask_detail", world.a, ask_id=ask.pk)))
    assert "Tamales on Saturdays" in page
    assert "Money received" not in page
    response = client.post(
        url("pledge_mark", world.a, pledge_id=pledge.pk), {"status": "received", "confirm": "True"}
    )
    assert response.status_code == 403
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PLEDGED


# A funded loan's repayments --------------------------------------------------------------------


def test_staff_create_a_funded_loans_schedule_after_confirming(world, client):
    ask = funded_loan(world.a)
    client = signed_in(client, world.a.staff)
    page_url = url("staff_ask_detail", world.a, ask_id=ask.pk)
    assert "Create the schedule" in text(client.get(page_url))
    first = later(15)
    asked = client.post(page_url, {"action": "schedule", "first_due_on": first.isoformat()})
    assert asked.status_code == 200
    assert f"3 monthly instalments, {money('300.00', 'USD')} in all" in text(asked)
    assert not Repayment.objects.exists()
    done = client.post(
        page_url, {"action": "schedule", "first_due_on": first.isoformat(), "confirm": "True"}
    )
    assert done.status_code == 302
    assert (
        list(Repayment.objects.filter(ask=ask).values_list("amount_due", flat=True))
        == [Decimal("100.00")] * 3
    )
    page = text(client.get(page_url))
    assert f"{money('100.00', 'USD')} due on" in page
    assert "Create the schedule" not in page


def test_a_schedule_needs_a_first_date(world, client):
    ask = funded_loan(world.a)
    response = signed_in(client, world.a.staff).post(
        url("staff_ask_detail", world.a, ask_id=ask.pk), {"action": "schedule", "confirm": "True"}
    )
    assert response.status_code == 400
    assert "Choose the date of the first instalment." in text(response, 400)
    assert not Repayment.objects.exists()


def test_staff_record_a_repayment_after_confirming(world, client):
    ask = funded_loan(world.a)
    repayment = services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=ask, first_due_on=later(10)
    )[0]
    client = signed_in(client, world.a.staff)
    page = text(client.get(url("staff_ask_detail", world.a, ask_id=ask.pk)))
    assert page.count("Record a repayment…") == 1  # on the first instalment still due
    assert url("repayment_record", world.a, repayment_id=repayment.pk) in page
    record = url("repayment_record", world.a, repayment_id=repayment.pk)
    today = timezone.localdate().isoformat()
    asked = client.post(record, {"amount": "60.00", "paid_on": today})
    assert asked.status_code == 200
    assert f"repaid {money('60.00', 'USD')}" in text(asked)
    repayment.refresh_from_db()
    assert repayment.amount_paid == Decimal("0.00")
    done = client.post(record, {"amount": "60.00", "paid_on": today, "confirm": "True"})
    assert done.status_code == 302
    repayment.refresh_from_db()
    assert repayment.amount_paid == Decimal("60.00")
    assert repayment.recorded_by == world.a.staff


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"amount": "0"}, "Enter an amount above zero."),
        ({"amount": "-5"}, "Enter an amount above zero."),
        ({"amount": "abc"}, "Write an amount like 1,350.50."),
        ({"amount": "100000000"}, "This amount is too large."),
        ({"amount": "150.00"}, "This is more than is due for this instalment."),
        ({"amount": "10", "paid_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"amount": ""}, "Enter the amount paid."),
    ],
)
def test_a_bad_repayment_is_a_400_naming_the_field_and_writes_nothing(
    world, client, data, field_message
):
    ask = funded_loan(world.a)
    repayment = services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=ask, first_due_on=later(10)
    )[0]
    payload = {"paid_on": timezone.localdate().isoformat(), "confirm": "True", **data}
    response = signed_in(client, world.a.staff).post(
        url("repayment_record", world.a, repayment_id=repayment.pk), payload
    )
    assert response.status_code == 400
    assert field_message in text(response, 400)
    repayment.refresh_from_db()
    assert repayment.amount_paid == Decimal("0.00")


def test_liaisons_cannot_schedule_or_record_repayments(world, client):
    ask = funded_loan(world.a)
    client = signed_in(client, world.a.liaison)
    page_url = url("staff_ask_detail", world.a, ask_id=ask.pk)
    page = text(client.get(page_url))
    assert '<h2 id="repayments-heading">Repayments</h2>' in page
    assert "Create the schedule" not in page
    response = client.post(
        page_url, {"action": "schedule", "first_due_on": later(5).isoformat(), "confirm": "True"}
    )
    assert response.status_code == 403
    assert not Repayment.objects.exists()
    repayment = services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=ask, first_due_on=later(10)
    )[0]
    response = client.post(
        url("repayment_record", world.a, repayment_id=repayment.pk),
        {"amount": "10", "paid_on": timezone.localdate().isoformat(), "confirm": "True"},
    )
    assert response.status_code == 403
    repayment.refresh_from_db()
    assert repayment.amount_paid == Decimal("0.00")


# The rate table --------------------------------------------------------------------------------


@pytest.fixture
def operator(db):
    user = UserFactory(email="operator@example.org", is_superuser=True)
    enable_totp(user)
    return user


def test_platform_admins_set_a_currencys_rate(world, client, operator):
    client = signed_in(client, operator)
    rates = reverse("exchange_rates")
    assert rates in text(client.get(reverse("platform_home")))
    response = client.post(rates, {"currency": "mxn", "usd_per_unit": "0.058"})
    assert response.status_code == 302
    rate = ExchangeRate.objects.get(currency="MXN")
    assert rate.usd_per_unit == Decimal("0.058")
    assert rate.updated_by == operator
    page = text(client.get(rates))
    assert "MXN" in page and "0.058" in page
    # setting it again replaces it
    client.post(rates, {"currency": "MXN", "usd_per_unit": "0.06"})
    assert ExchangeRate.objects.get(currency="MXN").usd_per_unit == Decimal("0.06")


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"currency": "M1", "usd_per_unit": "0.05"}, "Ensure this value has at least 3"),
        ({"currency": "M1X", "usd_per_unit": "0.05"}, "Use a three-letter currency code."),
        ({"currency": "MXN", "usd_per_unit": "0"}, "Enter a rate above zero."),
        ({"currency": "MXN", "usd_per_unit": "-1"}, "Enter a rate above zero."),
        ({"currency": "MXN", "usd_per_unit": "lots"}, "Write an amount like 1,350.50."),
        ({"currency": "MXN", "usd_per_unit": ""}, "This field is required."),
    ],
)
def test_a_bad_rate_is_a_400_naming_the_field_and_writes_nothing(
    world, client, operator, data, field_message
):
    response = signed_in(client, operator).post(reverse("exchange_rates"), data)
    assert response.status_code == 400
    assert field_message in text(response, 400)
    assert not ExchangeRate.objects.exists()


def test_the_rate_table_is_404_for_everyone_but_platform_admins(world, client):
    for user in [world.a.admin, world.a.staff, world.a.seed_member, world.a.funder, world.outsider]:
        client = signed_in(client, user)
        assert client.get(reverse("exchange_rates")).status_code == 404
        posted = client.post(reverse("exchange_rates"), {"currency": "MXN", "usd_per_unit": "1"})
        assert posted.status_code == 404
    assert not ExchangeRate.objects.exists()


def test_families_and_funders_have_no_staff_pages(world, client):
    ask = an_open_ask(world.a)
    for user in [world.a.seed_member, world.a.funder]:
        client = signed_in(client, user)
        assert client.get(url("staff_ventures", world.a)).status_code == 404
        assert client.get(url("staff_ask_detail", world.a, ask_id=ask.pk)).status_code == 404
    assert Venture.objects.count() == 1
