"""Pledges and loans, through their services: funders pledge toward public asks and never past
what was asked; partner staff record the money's steps and the loan's repayments."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import policy
from accounts.models import AuditEvent
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests import clock
from tests.seats import seed_seat
from ventures import services
from ventures.models import FundingAsk, Pledge, Repayment, Venture
from ventures.services import PlanInput


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def staff_seat(tenant, role="staff") -> policy.Seat:
    return policy.access_partner(getattr(tenant, role), tenant.partner.slug)


def a_draft(tenant, *, amount="100.00", kind=FundingAsk.Kind.DONATION, **changes) -> FundingAsk:
    venture = services.venture_create(
        seat=seed_seat(tenant),
        name="Tamales on Saturdays",
        kind=Venture.Kind.NEW,
        sector=Venture.Sector.FOOD,
        description="Tamales sold from a basket at the market.",
        plan=PlanInput(budget_lines=[("Steamer", "80.00")]),
    )
    values = {
        "kind": kind,
        "amount": amount,
        "purpose": "A steamer and a cooler",
        "deadline": days_from_today(60),
        "friends_first_days": 0,
        "repayment_months": 3 if kind == FundingAsk.Kind.LOAN else None,
    }
    return services.ask_create(seat=seed_seat(tenant), venture=venture, **{**values, **changes})


def an_open_ask(tenant, **changes) -> FundingAsk:
    """Checked by staff and public at once (no friends-first days)."""
    ask = services.ask_submit(seat=seed_seat(tenant), ask=a_draft(tenant, **changes))
    return services.ask_review(seat=staff_seat(tenant), ask=ask, decision="approve")


def pledge(tenant, ask, amount, funder=None) -> Pledge:
    return services.pledge_create(user=funder or tenant.funder, ask=ask, amount=amount)


def state_of(ask) -> str:
    return FundingAsk.objects.get(pk=ask.pk).state


# Pledging ---------------------------------------------------------------------------------------


def test_a_funder_pledges_toward_a_public_ask(world):
    ask = an_open_ask(world.a)

    made = pledge(world.a, ask, "40")

    made.refresh_from_db()
    assert (made.amount, made.currency, made.status) == (Decimal("40.00"), "USD", "pledged")
    assert made.funder.user == world.a.funder
    assert made.partner == world.a.partner
    assert state_of(ask) == FundingAsk.State.OPEN
    event = AuditEvent.objects.get(verb="pledge.create")
    assert event.actor == world.a.funder
    assert event.after == {"amount": "40.00", "ask_state": "open"}


def test_a_funder_of_another_partner_may_pledge_toward_a_public_ask(world):
    ask = an_open_ask(world.a)

    made = pledge(world.a, ask, "40", funder=world.b.funder)

    assert made.funder.user == world.b.funder


@pytest.mark.parametrize("who", ["seed_member", "friend_member", "staff", "admin", "liaison"])
def test_only_funders_pledge(world, who):
    ask = an_open_ask(world.a)

    with pytest.raises(NotAllowed):
        pledge(world.a, ask, "40", funder=getattr(world.a, who))

    assert not Pledge.objects.exists()
    assert not AuditEvent.objects.filter(verb="pledge.create").exists()


def test_someone_signed_in_without_a_funder_profile_cannot_pledge(world):
    with pytest.raises(NotAllowed):
        pledge(world.a, an_open_ask(world.a), "40", funder=world.outsider)

    assert not Pledge.objects.exists()


def draft(tenant):
    return a_draft(tenant)


def in_review(tenant):
    return services.ask_submit(seat=seed_seat(tenant), ask=a_draft(tenant))


def declined(tenant):
    return services.ask_review(
        seat=staff_seat(tenant), ask=in_review(tenant), decision="decline", reason="Too vague."
    )


def friends_first(tenant):
    ask = services.ask_submit(seat=seed_seat(tenant), ask=a_draft(tenant, friends_first_days=7))
    return services.ask_review(seat=staff_seat(tenant), ask=ask, decision="approve")


def closed(tenant):
    return services.ask_close(seat=seed_seat(tenant), ask=an_open_ask(tenant))


def expired(tenant):
    ask = an_open_ask(tenant)
    services.asks_expire(today=days_from_today(61))
    return ask


@pytest.mark.parametrize("make", [draft, in_review, declined, friends_first, closed, expired])
def test_a_pledge_on_an_ask_that_is_not_public_is_not_found(world, make):
    ask = make(world.a)
    state = state_of(ask)

    with pytest.raises(NotFound):
        pledge(world.a, ask, "40")

    assert not Pledge.objects.exists()
    assert not AuditEvent.objects.filter(verb="pledge.create").exists()
    assert state_of(ask) == state


@pytest.mark.parametrize("amount", ["0", "-10", "ten", "NaN", "1000000"])
def test_a_bad_amount_is_refused_naming_it(world, amount):
    ask = an_open_ask(world.a)

    with pytest.raises(InvalidInput) as refused:
        pledge(world.a, ask, amount)

    assert "amount" in refused.value.errors
    assert not Pledge.objects.exists()


def test_pledges_add_up_and_the_one_that_reaches_the_amount_funds_the_ask(world):
    ask = an_open_ask(world.a, amount="100.00")

    pledge(world.a, ask, "60.00")
    assert state_of(ask) == FundingAsk.State.OPEN
    pledge(world.a, ask, "40.00", funder=world.b.funder)

    assert state_of(ask) == FundingAsk.State.FUNDED
    assert services.pledged_total(ask) == Decimal("100.00")
    assert AuditEvent.objects.filter(verb="pledge.create").first().after["ask_state"] == "funded"


def test_a_pledge_past_the_amount_is_refused_naming_what_is_still_needed(world):
    ask = an_open_ask(world.a, amount="100.00")
    pledge(world.a, ask, "60.00")

    with pytest.raises(Conflict) as refused:
        pledge(world.a, ask, "40.01", funder=world.b.funder)

    assert "$40.00" in refused.value.message
    assert "40.00" in refused.value.errors["amount"][0]
    assert Pledge.objects.count() == 1
    assert services.pledged_total(ask) == Decimal("60.00")
    assert state_of(ask) == FundingAsk.State.OPEN
    assert AuditEvent.objects.filter(verb="pledge.create").count() == 1


def test_a_pledge_on_a_funded_ask_is_refused_as_nothing_more_is_needed(world):
    ask = an_open_ask(world.a, amount="100.00")
    pledge(world.a, ask, "100.00")

    with pytest.raises(Conflict) as refused:
        pledge(world.a, ask, "1.00", funder=world.b.funder)

    assert "amount" in refused.value.errors
    assert Pledge.objects.count() == 1
    assert state_of(ask) == FundingAsk.State.FUNDED


# Recording the money's steps --------------------------------------------------------------------


def test_staff_record_the_money_arriving_then_passed_to_the_family(world):
    made = pledge(world.a, an_open_ask(world.a), "40.00")

    made = services.pledge_mark(seat=staff_seat(world.a), pledge=made, status="received")
    assert made.status == Pledge.Status.RECEIVED
    assert made.received_at is not None
    made = services.pledge_mark(seat=staff_seat(world.a, "admin"), pledge=made, status="fulfilled")

    made.refresh_from_db()
    assert made.status == Pledge.Status.FULFILLED
    assert made.received_at <= made.fulfilled_at
    events = AuditEvent.objects.filter(verb="pledge.mark").order_by("created_at", "id")
    assert [(e.before, e.after, e.actor) for e in events] == [
        ({"status": "pledged"}, {"status": "received"}, world.a.staff),
        ({"status": "received"}, {"status": "fulfilled"}, world.a.admin),
    ]


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        ([], "fulfilled"),  # passed on before it arrived
        (["received"], "received"),
        (["received", "fulfilled"], "fell_through"),
        (["received", "fulfilled"], "received"),
        (["fell_through"], "received"),
        (["fell_through"], "fell_through"),
    ],
)
def test_a_wrong_step_is_a_conflict_and_changes_nothing(world, path, wrong):
    made = pledge(world.a, an_open_ask(world.a), "40.00")
    for status in path:
        services.pledge_mark(seat=staff_seat(world.a), pledge=made, status=status)
    marks = AuditEvent.objects.filter(verb="pledge.mark").count()

    with pytest.raises(Conflict):
        services.pledge_mark(seat=staff_seat(world.a), pledge=made, status=wrong)

    assert Pledge.objects.get(pk=made.pk).status == (path[-1] if path else "pledged")
    assert AuditEvent.objects.filter(verb="pledge.mark").count() == marks


def test_an_unknown_step_is_refused_naming_the_status(world):
    made = pledge(world.a, an_open_ask(world.a), "40.00")

    with pytest.raises(InvalidInput) as refused:
        services.pledge_mark(seat=staff_seat(world.a), pledge=made, status="pledged")

    assert "status" in refused.value.errors
    assert Pledge.objects.get(pk=made.pk).status == Pledge.Status.PLEDGED


@pytest.mark.parametrize("before", [[], ["received"]])
def test_a_pledge_that_falls_through_reopens_a_funded_ask_for_the_missing_part(world, before):
    ask = an_open_ask(world.a, amount="100.00")
    pledge(world.a, ask, "30.00", funder=world.b.funder)
    made = pledge(world.a, ask, "70.00")
    assert state_of(ask) == FundingAsk.State.FUNDED
    for status in before:
        services.pledge_mark(seat=staff_seat(world.a), pledge=made, status=status)

    services.pledge_mark(seat=staff_seat(world.a), pledge=made, status="fell_through")

    assert state_of(ask) == FundingAsk.State.OPEN
    assert services.pledged_total(ask) == Decimal("30.00")
    with pytest.raises(Conflict):
        pledge(world.a, ask, "70.01")
    pledge(world.a, ask, "70.00")
    assert state_of(ask) == FundingAsk.State.FUNDED


def test_liaisons_do_not_record_money(world):
    made = pledge(world.a, an_open_ask(world.a), "40.00")

    with pytest.raises(NotAllowed):
        services.pledge_mark(seat=staff_seat(world.a, "liaison"), pledge=made, status="received")

    assert Pledge.objects.get(pk=made.pk).status == Pledge.Status.PLEDGED
    assert not AuditEvent.objects.filter(verb="pledge.mark").exists()


def test_another_partners_staff_cannot_find_the_pledge(world):
    made = pledge(world.a, an_open_ask(world.a), "40.00")

    with pytest.raises(NotFound):
        services.pledge_mark(seat=staff_seat(world.b), pledge=made, status="received")

    assert Pledge.objects.get(pk=made.pk).status == Pledge.Status.PLEDGED


# Loans ------------------------------------------------------------------------------------------


def a_funded_loan(tenant, amount="100.00", months=3) -> FundingAsk:
    ask = an_open_ask(tenant, kind=FundingAsk.Kind.LOAN, amount=amount, repayment_months=months)
    pledge(tenant, ask, amount)
    return FundingAsk.objects.get(pk=ask.pk)


def test_a_funded_loan_gets_monthly_instalments_that_add_up_exactly(world):
    loan = a_funded_loan(world.a, amount="100.00", months=3)

    month_end = clock.month(2) - datetime.timedelta(days=1)  # the last day of next month
    instalments = services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=loan, first_due_on=month_end
    )

    rows = list(Repayment.objects.filter(ask=loan))
    assert len(instalments) == 3
    assert [r.amount_due for r in rows] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(r.amount_due for r in rows) == Decimal("100.00")
    # Later instalments fall on the same day, or the 28th where months are shorter.
    assert [r.due_on for r in rows] == [
        month_end,
        clock.on(2, 28),
        clock.on(3, 28),
    ]
    assert all(r.amount_paid == 0 and r.partner == world.a.partner for r in rows)
    event = AuditEvent.objects.get(verb="loan.schedule")
    assert event.after == {"instalments": 3, "first_due_on": month_end.isoformat()}


@pytest.mark.parametrize(("amount", "months"), [("1000.00", 7), ("10.00", 3), ("250.00", 12)])
def test_instalments_always_sum_to_the_loan(world, amount, months):
    loan = a_funded_loan(world.a, amount=amount, months=months)

    services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=loan, first_due_on=days_from_today(30)
    )

    rows = list(Repayment.objects.filter(ask=loan))
    assert len(rows) == months
    assert sum(r.amount_due for r in rows) == Decimal(amount)
    assert all(r.amount_due > 0 for r in rows)


def test_a_loan_has_one_schedule_only(world):
    loan = a_funded_loan(world.a)
    services.repayment_schedule_create(
        seat=staff_seat(world.a), ask=loan, first_due_on=days_from_today(30)
    )

    with pytest.raises(Conflict):
        services.repayment_schedule_create(
            seat=staff_seat(world.a), ask=loan, first_due_on=days_from_today(45)
        )

    assert Repayment.objects.count() == 3


def test_a_loan_not_yet_funded_gets_no_schedule(world):
    loan = an_open_ask(world.a, kind=FundingAsk.Kind.LOAN, repayment_months=3)
    pledge(world.a, loan, "99.99")

    with pytest.raises(Conflict):
        services.repayment_schedule_create(
            seat=staff_seat(world.a), ask=loan, first_due_on=days_from_today(30)
        )

    assert not Repayment.objects.exists()


def test_a_funded_donation_gets_no_schedule(world):
    donation = an_open_ask(world.a)
    pledge(world.a, donation, "100.00")

    with pytest.raises(Conflict):
        services.repayment_schedule_create(
            seat=staff_seat(world.a), ask=donation, first_due_on=days_from_today(30)
        )

    assert not Repayment.objects.exists()


def test_liaisons_and_other_partners_make_no_schedule(world):
    loan = a_funded_loan(world.a)

    with pytest.raises(NotAllowed):
        services.repayment_schedule_create(
            seat=staff_seat(world.a, "liaison"), ask=loan, first_due_on=days_from_today(30)
        )
    with pytest.raises(NotFound):
        services.repayment_schedule_create(
            seat=staff_seat(world.b), ask=loan, first_due_on=days_from_today(30)
        )

    assert not Repayment.objects.exists()


def first_instalment(tenant) -> Repayment:
    loan = a_funded_loan(tenant)
    return services.repayment_schedule_create(
        seat=staff_seat(tenant), ask=loan, first_due_on=days_from_today(-40)
    )[0]


def test_staff_record_repayments_up_to_what_is_due(world):
    instalment = first_instalment(world.a)
    today = timezone.localdate()

    services.repayment_record(
        seat=staff_seat(world.a), repayment=instalment, amount="20.00", paid_on=today
    )
    services.repayment_record(
        seat=staff_seat(world.a), repayment=instalment, amount="13.33", paid_on=today
    )

    instalment.refresh_from_db()
    assert instalment.amount_paid == instalment.amount_due == Decimal("33.33")
    assert (instalment.paid_on, instalment.recorded_by) == (today, world.a.staff)
    assert AuditEvent.objects.filter(verb="loan.repayment").count() == 2


def test_a_repayment_of_more_than_is_due_is_refused(world):
    instalment = first_instalment(world.a)
    services.repayment_record(
        seat=staff_seat(world.a),
        repayment=instalment,
        amount="30.00",
        paid_on=timezone.localdate(),
    )

    with pytest.raises(InvalidInput) as refused:
        services.repayment_record(
            seat=staff_seat(world.a),
            repayment=instalment,
            amount="3.34",
            paid_on=timezone.localdate(),
        )

    assert "amount" in refused.value.errors
    assert Repayment.objects.get(pk=instalment.pk).amount_paid == Decimal("30.00")
    assert AuditEvent.objects.filter(verb="loan.repayment").count() == 1


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [
        ("10.00", lambda: days_from_today(1), "paid_on"),
        ("0", timezone.localdate, "amount"),
        ("-5", timezone.localdate, "amount"),
        ("some", timezone.localdate, "amount"),
    ],
)
def test_a_bad_repayment_is_refused_naming_the_field(world, amount, paid_on, field):
    instalment = first_instalment(world.a)

    with pytest.raises(InvalidInput) as refused:
        services.repayment_record(
            seat=staff_seat(world.a), repayment=instalment, amount=amount, paid_on=paid_on()
        )

    assert field in refused.value.errors
    instalment.refresh_from_db()
    assert (instalment.amount_paid, instalment.paid_on) == (Decimal("0.00"), None)
    assert not AuditEvent.objects.filter(verb="loan.repayment").exists()


def test_liaisons_and_other_partners_record_no_repayment(world):
    instalment = first_instalment(world.a)

    with pytest.raises(NotAllowed):
        services.repayment_record(
            seat=staff_seat(world.a, "liaison"),
            repayment=instalment,
            amount="10.00",
            paid_on=timezone.localdate(),
        )
    with pytest.raises(NotFound):
        services.repayment_record(
            seat=staff_seat(world.b),
            repayment=instalment,
            amount="10.00",
            paid_on=timezone.localdate(),
        )

    assert Repayment.objects.get(pk=instalment.pk).amount_paid == Decimal("0.00")
