"""Ventures and funding asks, through their services: what owner families, the other families of
their group, partner staff and the nightly job see happen. Staff never plan for families: there
is no staff path to change a venture or an ask, only to check an ask before it is published."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import policy
from accounts.models import AuditEvent
from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests import clock, factories
from tests.seats import friend_seat, seed_seat
from ventures import services
from ventures.models import (
    AskReview,
    BudgetLine,
    ExchangeRate,
    FundingAsk,
    Milestone,
    PlanVersion,
    Venture,
    VentureUpdate,
)
from ventures.services import PlanInput


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def staff_seat(tenant, role="staff") -> policy.Seat:
    return policy.access_partner(getattr(tenant, role), tenant.partner.slug)


def a_plan(**changes) -> PlanInput:
    values = {
        "budget_lines": [("Steamer", "80.00"), ("Cooler", "45.5")],
        "milestones": [("First market day", days_from_today(30))],
        "expected_monthly_revenue": "400",
    }
    return PlanInput(**{**values, **changes})


def a_venture(tenant, seat=None, **changes) -> Venture:
    values = {
        "name": "Tamales on Saturdays",
        "kind": Venture.Kind.NEW,
        "sector": Venture.Sector.FOOD,
        "description": "Tamales sold from a basket at the market.",
        "plan": a_plan(),
    }
    return services.venture_create(seat=seat or seed_seat(tenant), **{**values, **changes})


def an_ask(tenant, venture=None, seat=None, **changes) -> FundingAsk:
    values = {
        "kind": FundingAsk.Kind.DONATION,
        "amount": "300.00",
        "purpose": "A steamer and a cooler",
        "deadline": days_from_today(60),
    }
    return services.ask_create(
        seat=seat or seed_seat(tenant),
        venture=venture or a_venture(tenant),
        **{**values, **changes},
    )


def without_review(tenant) -> None:
    tenant.partner.funding_asks_need_review = False
    tenant.partner.save(update_fields=["funding_asks_need_review"])


def verbs_of(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


# Ventures ---------------------------------------------------------------------------------------


def test_a_family_creates_a_venture_with_its_plan(world):
    venture = a_venture(world.a)

    venture.refresh_from_db()
    assert venture.partner == world.a.partner
    assert venture.cohort == world.a.cohort
    assert list(venture.owners.all()) == [world.a.seed_family]
    assert not venture.is_collective
    assert venture.created_by == world.a.seed_member
    plan = venture.plans.get()
    assert plan.number == 1
    assert plan.expected_monthly_revenue == Decimal("400.00")
    assert [(line.item, line.amount) for line in plan.budget_lines.all()] == [
        ("Steamer", Decimal("80.00")),
        ("Cooler", Decimal("45.50")),
    ]
    assert [(m.what, m.due_on, m.done) for m in plan.milestones.all()] == [
        ("First market day", days_from_today(30), False)
    ]
    event = AuditEvent.objects.get(verb="venture.create")
    assert event.actor == world.a.seed_member
    assert event.partner == world.a.partner
    assert event.after["owners"] == [world.a.seed_family.pk]


def test_a_collective_venture_is_owned_with_a_family_of_the_group(world):
    venture = a_venture(world.a, co_owner_ids=[world.a.friend_family.pk])

    assert venture.is_collective
    assert venture.group == world.a.group
    assert set(venture.owners.all()) == {world.a.seed_family, world.a.friend_family}
    # The co-owner family changes the plan as an owner.
    version = services.venture_plan_revise(
        seat=friend_seat(world.a), venture=venture, plan=a_plan(expected_monthly_revenue="500")
    )
    assert version.number == 2


def another_group_family(tenant):
    other_group = factories.GroupFactory(cohort=tenant.cohort, name="Another group")
    return factories.FamilyFactory(group=other_group, name="Household of another group")


@pytest.mark.parametrize(
    "co_owner",
    [
        lambda world: another_group_family(world.a).pk,
        lambda world: world.b.friend_family.pk,
        lambda world: 987654,
    ],
    ids=["another group of the cohort", "another partner", "missing"],
)
def test_a_co_owner_outside_the_group_is_refused_and_nothing_is_written(world, co_owner):
    with pytest.raises(InvalidInput) as refused:
        a_venture(world.a, co_owner_ids=[world.a.friend_family.pk, co_owner(world)])

    assert "co_owners" in refused.value.errors
    assert not Venture.objects.exists()
    assert not PlanVersion.objects.exists()
    assert not AuditEvent.objects.filter(verb="venture.create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"kind": "castle"}, "kind"),
        ({"sector": "piracy"}, "sector"),
        ({"visibility": "everyone-ever"}, "visibility"),
        ({"plan": a_plan(budget_lines=[("Steamer", "-80")])}, "budget_lines"),
        ({"plan": a_plan(budget_lines=[("", "80")])}, "budget_lines"),
        ({"plan": a_plan(milestones=[("First market day", "soon")])}, "milestones"),
        ({"plan": a_plan(expected_monthly_revenue="-1")}, "expected_monthly_revenue"),
    ],
)
def test_a_venture_with_bad_input_is_refused_naming_the_field(world, changes, field):
    with pytest.raises(InvalidInput) as refused:
        a_venture(world.a, **changes)

    assert field in refused.value.errors
    assert not Venture.objects.exists()
    assert not BudgetLine.objects.exists()


def test_revising_the_plan_makes_version_two_and_version_one_keeps_its_lines(world):
    venture = a_venture(world.a)

    version = services.venture_plan_revise(
        seat=seed_seat(world.a),
        venture=venture,
        plan=a_plan(
            budget_lines=[("A bigger steamer", "150.00")],
            milestones=[("Sell at two markets", days_from_today(90))],
            expected_monthly_revenue="650",
        ),
    )

    assert version.number == 2
    assert list(venture.plans.values_list("number", flat=True)) == [2, 1]
    first = venture.plans.get(number=1)
    assert [line.item for line in first.budget_lines.all()] == ["Steamer", "Cooler"]
    assert [m.what for m in first.milestones.all()] == ["First market day"]
    assert first.expected_monthly_revenue == Decimal("400.00")
    assert [(line.item, line.amount) for line in version.budget_lines.all()] == [
        ("A bigger steamer", Decimal("150.00"))
    ]
    assert version.expected_monthly_revenue == Decimal("650.00")
    assert AuditEvent.objects.get(verb="venture.plan").after == {"version": 2}


def test_a_bad_revision_is_refused_and_adds_no_version(world):
    venture = a_venture(world.a)

    with pytest.raises(InvalidInput) as refused:
        services.venture_plan_revise(
            seat=seed_seat(world.a),
            venture=venture,
            plan=a_plan(budget_lines=[("Steamer", "lots")]),
        )

    assert "budget_lines" in refused.value.errors
    assert venture.plans.count() == 1


def test_owners_mark_a_milestone_done_and_undone(world):
    venture = a_venture(world.a)
    milestone = Milestone.objects.get(plan__venture=venture)

    services.milestone_set_done(seat=seed_seat(world.a), milestone=milestone, done=True)
    assert Milestone.objects.get(pk=milestone.pk).done
    services.milestone_set_done(seat=seed_seat(world.a), milestone=milestone, done=False)
    assert not Milestone.objects.get(pk=milestone.pk).done
    assert verbs_of(milestone) == ["milestone.done", "milestone.undone"]


def outsiders_to_the_venture(world):
    """Families that are not owners: one of the same group, one of another partner; and staff
    handed a family that does not own the venture (there is no other way in for them)."""
    return [
        friend_seat(world.a),
        seed_seat(world.b),
        FamilySeat(user=world.a.staff, family=world.a.friend_family),
        FamilySeat(user=world.a.admin, family=world.a.friend_family),
        FamilySeat(user=world.a.liaison, family=world.a.friend_family),
    ]


def test_only_owners_revise_mark_milestones_and_post_updates(world):
    venture = a_venture(world.a)
    milestone = Milestone.objects.get(plan__venture=venture)
    this_month = timezone.localdate().strftime("%Y-%m")
    events = AuditEvent.objects.count()

    for seat in outsiders_to_the_venture(world):
        with pytest.raises(NotAllowed):
            services.venture_plan_revise(seat=seat, venture=venture, plan=a_plan())
        with pytest.raises(NotAllowed):
            services.milestone_set_done(seat=seat, milestone=milestone, done=True)
        with pytest.raises(NotAllowed):
            services.venture_post_update(
                seat=seat, venture=venture, period=this_month, revenue="10", costs="5"
            )

    assert venture.plans.count() == 1
    assert not Milestone.objects.get(pk=milestone.pk).done
    assert not VentureUpdate.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
@pytest.mark.parametrize("phase", [1, 2])
def test_no_phase_lets_staff_or_liaisons_edit_a_venture(world, role, phase):
    world.a.cohort.phase = phase
    world.a.cohort.save(update_fields=["phase"])

    assert not policy.phase_allows(staff_seat(world.a, role), world.a.cohort, "venture.edit")


def test_staff_are_not_family_members_so_they_have_no_seat_to_act_for_a_family(world):
    from families.access import family_seat

    for user in (world.a.admin, world.a.staff, world.a.liaison):
        with pytest.raises(NotFound):
            family_seat(user)


# Monthly updates --------------------------------------------------------------------------------


def test_owners_post_one_update_a_month_and_jobs_count_household_and_others(world):
    venture = a_venture(world.a)
    this_month = timezone.localdate().replace(day=1)

    update = services.venture_post_update(
        seat=seed_seat(world.a),
        venture=venture,
        period=this_month.strftime("%Y-%m"),
        revenue="350.00",
        costs="120",
        household_jobs=2,
        other_jobs=1,
        note="  Sold out twice.  ",
    )

    update.refresh_from_db()
    assert update.period == this_month
    assert (update.revenue, update.costs) == (Decimal("350.00"), Decimal("120.00"))
    assert update.jobs == 3
    assert update.note == "Sold out twice."
    assert verbs_of(update) == ["venture.update"]

    with pytest.raises(Conflict) as refused:
        services.venture_post_update(
            seat=seed_seat(world.a),
            venture=venture,
            period=this_month.strftime("%Y-%m"),
            revenue="1",
            costs="1",
        )
    assert "period" in refused.value.errors
    assert VentureUpdate.objects.count() == 1
    assert VentureUpdate.objects.get().revenue == Decimal("350.00")


def test_last_months_update_can_still_be_posted(world):
    venture = a_venture(world.a)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    update = services.venture_post_update(
        seat=seed_seat(world.a), venture=venture, period=last_month, revenue="0", costs="0"
    )

    assert update.period == last_month


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"revenue": "-1"}, "revenue"),
        ({"costs": "-0.01"}, "costs"),
        ({"revenue": "a lot"}, "revenue"),
        ({"costs": "1000000"}, "costs"),
        ({"household_jobs": -1}, "household_jobs"),
        ({"other_jobs": "many"}, "other_jobs"),
        ({"period": "2026-13"}, "period"),
    ],
)
def test_a_bad_update_is_refused_naming_the_field_and_nothing_is_written(world, changes, field):
    venture = a_venture(world.a)
    values = {
        "period": timezone.localdate().strftime("%Y-%m"),
        "revenue": "100",
        "costs": "40",
    }

    with pytest.raises(InvalidInput) as refused:
        services.venture_post_update(
            seat=seed_seat(world.a), venture=venture, **{**values, **changes}
        )

    assert field in refused.value.errors
    assert not VentureUpdate.objects.exists()


def test_an_update_for_a_month_to_come_is_refused(world):
    venture = a_venture(world.a)
    next_month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).replace(day=1)

    with pytest.raises(InvalidInput) as refused:
        services.venture_post_update(
            seat=seed_seat(world.a),
            venture=venture,
            period=next_month.strftime("%Y-%m"),
            revenue="10",
            costs="5",
        )

    assert "period" in refused.value.errors
    assert not VentureUpdate.objects.exists()


# Funding asks: asking ---------------------------------------------------------------------------


def test_owners_ask_for_support_as_a_draft_tied_to_their_budget_lines(world):
    venture = a_venture(world.a)
    lines = list(BudgetLine.objects.filter(plan__venture=venture))

    ask = an_ask(world.a, venture=venture, budget_line_ids=[line.pk for line in lines])

    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.DRAFT
    assert (ask.amount, ask.currency) == (Decimal("300.00"), "USD")
    assert ask.usd_estimate == Decimal("300.00")
    assert ask.friends_first_days == world.a.partner.friends_first_days == 7
    assert ask.repayment_months is None
    assert set(ask.budget_lines.all()) == set(lines)
    assert ask.created_by == world.a.seed_member
    assert verbs_of(ask) == ["ask.create"]


def test_a_loan_says_over_how_many_months_it_is_repaid(world):
    ask = an_ask(world.a, kind=FundingAsk.Kind.LOAN, repayment_months=6)

    assert ask.kind == FundingAsk.Kind.LOAN
    assert ask.repayment_months == 6


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-50"}, "amount"),
        ({"amount": "1000000.00"}, "amount"),  # the partner's ceiling itself
        ({"amount": "2500000"}, "amount"),
        ({"amount": "plenty"}, "amount"),
        ({"deadline": timezone.localdate}, "deadline"),
        ({"deadline": lambda: days_from_today(-1)}, "deadline"),
        ({"deadline": "next spring"}, "deadline"),
        ({"kind": FundingAsk.Kind.LOAN}, "repayment_months"),
        ({"kind": FundingAsk.Kind.LOAN, "repayment_months": 0}, "repayment_months"),
        ({"kind": "gift-card"}, "kind"),
        ({"purpose": "   "}, "purpose"),
        ({"friends_first_days": 61}, "friends_first_days"),
    ],
)
def test_a_bad_ask_is_refused_naming_the_field_and_nothing_is_written(world, changes, field):
    venture = a_venture(world.a)
    changes = {key: value() if callable(value) else value for key, value in changes.items()}

    with pytest.raises(InvalidInput) as refused:
        an_ask(world.a, venture=venture, **changes)

    assert field in refused.value.errors
    assert not FundingAsk.objects.exists()
    assert not AuditEvent.objects.filter(verb="ask.create").exists()


def test_the_amount_ceiling_follows_the_partner(world):
    world.a.partner.survey_money_ceiling = Decimal("5000.00")
    world.a.partner.save(update_fields=["survey_money_ceiling"])
    venture = a_venture(world.a)

    with pytest.raises(InvalidInput) as refused:
        an_ask(world.a, venture=venture, amount="5000.00")
    assert "amount" in refused.value.errors

    assert an_ask(world.a, venture=venture, amount="4999.99").amount == Decimal("4999.99")


def test_budget_lines_of_another_venture_are_refused(world):
    venture = a_venture(world.a)
    other = a_venture(world.a, name="Sewing repairs")
    their_line = BudgetLine.objects.filter(plan__venture=other).first()
    own_line = BudgetLine.objects.filter(plan__venture=venture).first()

    with pytest.raises(InvalidInput) as refused:
        an_ask(world.a, venture=venture, budget_line_ids=[own_line.pk, their_line.pk])

    assert "budget_lines" in refused.value.errors
    assert not FundingAsk.objects.exists()


def test_budget_lines_of_an_earlier_plan_are_refused(world):
    venture = a_venture(world.a)
    old_line = BudgetLine.objects.filter(plan__venture=venture).first()
    services.venture_plan_revise(seat=seed_seat(world.a), venture=venture, plan=a_plan())

    with pytest.raises(InvalidInput) as refused:
        an_ask(world.a, venture=venture, budget_line_ids=[old_line.pk])

    assert "budget_lines" in refused.value.errors
    assert not FundingAsk.objects.exists()


def test_an_ask_on_someone_elses_venture_is_not_allowed_and_nothing_is_written(world):
    venture = a_venture(world.a)

    for seat in outsiders_to_the_venture(world):
        with pytest.raises(NotAllowed):
            an_ask(world.a, venture=venture, seat=seat)

    assert not FundingAsk.objects.exists()
    assert not AuditEvent.objects.filter(verb="ask.create").exists()


# Funding asks: review and publication -----------------------------------------------------------


def test_with_review_required_an_ask_waits_for_the_check_and_approval_opens_it(world):
    ask = an_ask(world.a)

    ask = services.ask_submit(seat=seed_seat(world.a), ask=ask)
    assert ask.state == FundingAsk.State.IN_REVIEW
    assert ask.public_from is None

    before = timezone.now()
    ask = services.ask_review(seat=staff_seat(world.a), ask=ask, decision="approve")
    after = timezone.now()

    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN
    assert before <= ask.opened_at <= after
    week = datetime.timedelta(days=7)
    assert before + week <= ask.public_from <= after + week
    assert not ask.is_public  # friends first
    review = AskReview.objects.get(ask=ask)
    assert (review.decision, review.reviewer) == ("approve", world.a.staff)
    assert verbs_of(ask) == ["ask.create", "ask.submit", "ask.review"]


def test_a_partner_admin_may_check_asks_too(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    ask = services.ask_review(seat=staff_seat(world.a, "admin"), ask=ask, decision="approve")

    assert ask.state == FundingAsk.State.OPEN


def test_declining_needs_a_reason_and_the_owners_can_submit_again(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    with pytest.raises(InvalidInput) as refused:
        services.ask_review(seat=staff_seat(world.a), ask=ask, decision="decline", reason="  ")
    assert "reason" in refused.value.errors
    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.IN_REVIEW
    assert not AskReview.objects.exists()

    ask = services.ask_review(
        seat=staff_seat(world.a),
        ask=ask,
        decision="decline",
        reason="The deadline is before the market opens.",
    )
    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.DECLINED
    assert AskReview.objects.get().reason == "The deadline is before the market opens."
    event = AuditEvent.objects.get(verb="ask.review")
    assert event.after == {
        "state": "declined",
        "reason": "The deadline is before the market opens.",
    }

    ask = services.ask_submit(seat=seed_seat(world.a), ask=ask)
    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.IN_REVIEW
    assert verbs_of(ask) == ["ask.create", "ask.submit", "ask.review", "ask.submit"]


def test_a_decision_other_than_approve_or_decline_is_refused(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    with pytest.raises(InvalidInput) as refused:
        services.ask_review(seat=staff_seat(world.a), ask=ask, decision="edit")

    assert "decision" in refused.value.errors
    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.IN_REVIEW


def test_liaisons_do_not_check_asks(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    with pytest.raises(NotAllowed):
        services.ask_review(seat=staff_seat(world.a, "liaison"), ask=ask, decision="approve")

    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.IN_REVIEW
    assert not AskReview.objects.exists()


def test_another_partners_staff_cannot_find_the_ask_to_check(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    with pytest.raises(NotFound):
        services.ask_review(seat=staff_seat(world.b), ask=ask, decision="approve")

    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.IN_REVIEW


def test_only_an_ask_waiting_for_the_check_can_be_checked(world):
    ask = an_ask(world.a)

    with pytest.raises(Conflict):
        services.ask_review(seat=staff_seat(world.a), ask=ask, decision="approve")

    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.DRAFT


def test_without_review_an_ask_opens_at_once_for_friends_first(world):
    without_review(world.a)
    ask = an_ask(world.a)

    before = timezone.now()
    ask = services.ask_submit(seat=seed_seat(world.a), ask=ask)

    assert ask.state == FundingAsk.State.OPEN
    assert ask.public_from >= before + datetime.timedelta(days=7)
    assert not ask.is_public
    assert not AskReview.objects.exists()


def test_with_no_friends_first_days_an_ask_is_public_at_once(world):
    without_review(world.a)
    ask = an_ask(world.a, friends_first_days=0)

    ask = services.ask_submit(seat=seed_seat(world.a), ask=ask)

    assert ask.state == FundingAsk.State.OPEN
    assert FundingAsk.objects.get(pk=ask.pk).is_public


def test_with_review_and_no_friends_first_days_an_ask_is_public_once_approved(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a, friends_first_days=0))
    assert not FundingAsk.objects.get(pk=ask.pk).is_public

    services.ask_review(seat=staff_seat(world.a), ask=ask, decision="approve")

    assert FundingAsk.objects.get(pk=ask.pk).is_public


def test_an_ask_is_sent_only_once(world):
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    with pytest.raises(Conflict):
        services.ask_submit(seat=seed_seat(world.a), ask=ask)

    assert verbs_of(ask) == ["ask.create", "ask.submit"]


def test_only_owners_submit_or_close_an_ask(world):
    ask = an_ask(world.a)

    for seat in outsiders_to_the_venture(world):
        with pytest.raises(NotAllowed):
            services.ask_submit(seat=seat, ask=ask)
        with pytest.raises(NotAllowed):
            services.ask_close(seat=seat, ask=ask)

    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.DRAFT
    assert verbs_of(ask) == ["ask.create"]


# Funding asks: closing and expiry ---------------------------------------------------------------


def test_owners_close_an_open_ask_once(world):
    without_review(world.a)
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))

    services.ask_close(seat=seed_seat(world.a), ask=ask)
    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.CLOSED

    with pytest.raises(Conflict):
        services.ask_close(seat=seed_seat(world.a), ask=ask)

    assert verbs_of(ask) == ["ask.create", "ask.submit", "ask.close"]
    event = AuditEvent.objects.get(verb="ask.close")
    assert (event.before, event.after) == ({"state": "open"}, {"state": "closed"})


def test_open_asks_past_their_deadline_expire_and_running_twice_changes_nothing(world):
    without_review(world.a)
    venture = a_venture(world.a)
    past = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a, venture=venture))
    due_today = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a, venture=venture))
    draft = an_ask(world.a, venture=venture)
    yesterday = days_from_today(-1)
    FundingAsk.objects.filter(pk__in=[past.pk, draft.pk]).update(deadline=yesterday)
    FundingAsk.objects.filter(pk=due_today.pk).update(deadline=timezone.localdate())

    assert services.asks_expire() == 1
    assert services.asks_expire() == 0

    states = dict(FundingAsk.objects.values_list("pk", "state"))
    assert states == {
        past.pk: FundingAsk.State.EXPIRED,
        due_today.pk: FundingAsk.State.OPEN,
        draft.pk: FundingAsk.State.DRAFT,
    }
    assert verbs_of(past) == ["ask.create", "ask.submit", "ask.expire"]
    event = AuditEvent.objects.get(verb="ask.expire")
    assert event.actor is None
    assert event.partner == world.a.partner


def test_an_expired_ask_cannot_be_closed(world):
    without_review(world.a)
    ask = services.ask_submit(seat=seed_seat(world.a), ask=an_ask(world.a))
    services.asks_expire(today=days_from_today(61))

    with pytest.raises(Conflict):
        services.ask_close(seat=seed_seat(world.a), ask=ask)

    assert FundingAsk.objects.get(pk=ask.pk).state == FundingAsk.State.EXPIRED


# Approximate US dollars ---------------------------------------------------------------------------


def platform_admin():
    return factories.UserFactory(email="operator@example.org", is_superuser=True)


def test_an_ask_shows_its_approximate_value_in_us_dollars_from_the_rate_table(world):
    services.exchange_rate_set(user=platform_admin(), currency="lrd", usd_per_unit="0.0052")

    ask = an_ask(world.b, amount="25000.00")

    assert ask.currency == "LRD"
    assert ask.usd_estimate == Decimal("130.00")
    assert services.usd_estimate(Decimal("1000.00"), "LRD") == Decimal("5.20")


def test_without_a_rate_there_is_no_estimate(world):
    ask = an_ask(world.b, amount="25000.00")

    assert ask.usd_estimate is None
    assert services.usd_estimate(Decimal("10.00"), "XOF") is None
    assert services.usd_estimate(Decimal("10.00"), "USD") == Decimal("10.00")


def test_setting_a_rate_again_updates_the_one_row(world):
    operator = platform_admin()
    services.exchange_rate_set(user=operator, currency="LRD", usd_per_unit="0.0050")
    services.exchange_rate_set(user=operator, currency="LRD", usd_per_unit="0.0055")

    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.usd_per_unit, rate.updated_by) == (
        "LRD",
        Decimal("0.0055"),
        operator,
    )
    assert AuditEvent.objects.filter(verb="exchange_rate.set").count() == 2


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_partner_staff_cannot_set_rates(world, role):
    with pytest.raises(NotFound):
        services.exchange_rate_set(
            user=getattr(world.a, role), currency="LRD", usd_per_unit="0.0052"
        )

    assert not ExchangeRate.objects.exists()


def test_a_funder_cannot_set_rates(world):
    with pytest.raises(NotFound):
        services.exchange_rate_set(user=world.a.funder, currency="LRD", usd_per_unit="1")

    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize(
    ("currency", "rate", "field"),
    [
        ("LR", "0.005", "currency"),
        ("L1D", "0.005", "currency"),
        ("LRD", "0", "usd_per_unit"),
        ("LRD", "-1", "usd_per_unit"),
        ("LRD", "cheap", "usd_per_unit"),
        ("LRD", "Infinity", "usd_per_unit"),
        ("LRD", "0.000000001", "usd_per_unit"),  # rounds to nothing in the table
        ("LRD", "12345678901", "usd_per_unit"),  # more than the table holds
    ],
)
def test_a_bad_rate_is_refused_naming_the_field(world, currency, rate, field):
    with pytest.raises(InvalidInput) as refused:
        services.exchange_rate_set(user=platform_admin(), currency=currency, usd_per_unit=rate)

    assert field in refused.value.errors
    assert not ExchangeRate.objects.exists()


def test_a_rate_is_kept_to_eight_decimal_places(world):
    row = services.exchange_rate_set(
        user=platform_admin(), currency="XOF", usd_per_unit="0.001654321987"
    )

    assert row.usd_per_unit == Decimal("0.00165432")
    assert ExchangeRate.objects.get().usd_per_unit == Decimal("0.00165432")


def test_a_revised_plan_keeps_the_milestones_already_done(world):

    from families.access import FamilySeat as _Seat
    from ventures import services as _services

    seat = _Seat(user=world.a.seed_member, family=world.a.seed_family)
    due = clock.month(3)
    venture = _services.venture_create(
        seat=seat,
        name="Stall",
        kind="new",
        sector="retail",
        description="A market stall.",
        plan=_services.PlanInput(milestones=[("Permit", due), ("Awning", due)]),
    )
    permit = venture.plans.get().milestones.get(what="Permit")
    _services.milestone_set_done(seat=seat, milestone=permit, done=True)
    version = _services.venture_plan_revise(
        seat=seat,
        venture=venture,
        plan=_services.PlanInput(milestones=[("Permit", due), ("Second stall", due)]),
    )
    assert {m.what: m.done for m in version.milestones.all()} == {
        "Permit": True,
        "Second stall": False,
    }
