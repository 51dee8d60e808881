"""Writes for ventures: families plan and run their ventures and ask for funding on their own
terms; funders pledge; staff only check asks (approve or decline) and record money movements.
Staff never create or edit a venture, a plan or an ask: only owner families do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import FunderProfile, User
from accounts.services import audit_record
from families.access import FamilySeat
from families.models import Family
from families.services import before_the_cohort
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound, validated
from mutuality.numbers import NotANumber, to_decimal, to_whole_number
from ventures.models import (
    AskReview,
    BudgetLine,
    ExchangeRate,
    FundingAsk,
    Milestone,
    PlanVersion,
    Pledge,
    Repayment,
    Venture,
    VentureUpdate,
)

COUNTED = (Pledge.Status.PLEDGED, Pledge.Status.RECEIVED, Pledge.Status.FULFILLED)


@dataclass
class PlanInput:
    budget_lines: list[tuple[str, object]] = field(default_factory=list)  # (item, amount)
    milestones: list[tuple[str, object]] = field(default_factory=list)  # (what, due_on)
    expected_monthly_revenue: object = "0"


def money(value, field_name: str, *, ceiling: Decimal, positive: bool = True) -> Decimal:
    try:
        amount = to_decimal(value)
    except NotANumber:
        raise InvalidInput.for_field(field_name, _("Enter an amount, like 250.00.")) from None
    if positive and amount <= 0:
        raise InvalidInput.for_field(field_name, _("Enter an amount above zero."))
    if amount < 0:
        raise InvalidInput.for_field(field_name, _("Enter zero or more."))
    if amount >= ceiling:
        raise InvalidInput.for_field(field_name, _("This amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _owner_check(seat: FamilySeat, venture: Venture) -> None:
    if not policy.family_owns_venture(seat.family, venture):
        raise NotAllowed(_("Only the venture's owner families can change it."))


def _clean_plan(plan: PlanInput, *, ceiling: Decimal) -> tuple[list, list, Decimal]:
    errors: dict[str, list[str]] = {}
    lines = []
    for item, amount in plan.budget_lines:
        item = (item or "").strip()
        if not item:
            errors.setdefault("budget_lines", []).append(_("Every budget line needs an item."))
            continue
        try:
            lines.append((item[:200], money(amount, "budget_lines", ceiling=ceiling)))
        except InvalidInput as exc:
            errors.setdefault("budget_lines", []).extend(exc.errors["budget_lines"])
    milestones = []
    for what, due_on in plan.milestones:
        what = (what or "").strip()
        if not what or not isinstance(due_on, datetime.date):
            errors.setdefault("milestones", []).append(_("Every milestone needs what and when."))
            continue
        milestones.append((what[:300], due_on))
    try:
        revenue = money(
            plan.expected_monthly_revenue or "0",
            "expected_monthly_revenue",
            ceiling=ceiling,
            positive=False,
        )
    except InvalidInput as exc:
        errors.update(exc.errors)
        revenue = Decimal("0")
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    return lines, milestones, revenue


def _save_plan(venture: Venture, plan: PlanInput, user) -> PlanVersion:
    lines, milestones, revenue = _clean_plan(plan, ceiling=venture.partner.survey_money_ceiling)
    last = venture.plans.order_by("-number").first()
    version = PlanVersion.objects.create(
        partner_id=venture.partner_id,
        venture=venture,
        number=(last.number + 1) if last else 1,
        expected_monthly_revenue=revenue,
        created_by=user,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            partner_id=venture.partner_id, plan=version, position=i, item=item, amount=amount
        )
        for i, (item, amount) in enumerate(lines)
    )
    # A milestone kept from the previous version keeps being done.
    done_before = (
        set(last.milestones.filter(done=True).values_list("what", "due_on")) if last else set()
    )
    Milestone.objects.bulk_create(
        Milestone(
            partner_id=venture.partner_id,
            plan=version,
            position=i,
            what=what,
            due_on=due,
            done=(what, due) in done_before,
        )
        for i, (what, due) in enumerate(milestones)
    )
    return version


@transaction.atomic
def venture_create(
    *,
    seat: FamilySeat,
    name: str,
    kind: str,
    sector: str,
    description: str,
    location: str = "",
    started_on: datetime.date | None = None,
    visibility: str = Venture.Visibility.GROUP,
    co_owner_ids=(),
    plan: PlanInput | None = None,
) -> Venture:
    """A family's venture, or a collective one with other families of its group as co-owners."""
    family = seat.family
    co_owners = list(
        Family.objects.filter(
            partner=family.partner_id, group=family.group_id, pk__in=set(co_owner_ids or [])
        ).exclude(pk=family.pk)
    )
    if co_owner_ids and len(co_owners) != len(set(co_owner_ids) - {family.pk}):
        raise InvalidInput.for_field("co_owners", _("Co-owners must be families of your group."))
    venture = Venture(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        group_id=family.group_id if co_owners else None,
        name=(name or "").strip(),
        kind=kind,
        sector=sector,
        description=(description or "").strip(),
        location=(location or "").strip(),
        started_on=started_on,
        visibility=visibility,
        created_by=seat.user,
    )
    validated(venture)
    venture.save()
    venture.owners.set([family, *co_owners])
    _save_plan(venture, plan or PlanInput(), seat.user)
    audit_record(
        actor=seat.user,
        verb="venture.create",
        obj=venture,
        partner=family.partner,
        after={"owners": sorted([family.pk, *(f.pk for f in co_owners)]), "kind": kind},
    )
    return venture


@transaction.atomic
def venture_plan_revise(*, seat: FamilySeat, venture: Venture, plan: PlanInput) -> PlanVersion:
    """A new version of the plan; earlier versions stay, so changes can be seen."""
    _owner_check(seat, venture)
    venture = Venture.objects.select_for_update().select_related("partner").get(pk=venture.pk)
    version = _save_plan(venture, plan, seat.user)
    audit_record(
        actor=seat.user,
        verb="venture.plan",
        obj=venture,
        partner=venture.partner,
        after={"version": version.number},
    )
    return version


@transaction.atomic
def milestone_set_done(*, seat: FamilySeat, milestone: Milestone, done: bool) -> Milestone:
    venture = milestone.plan.venture
    _owner_check(seat, venture)
    milestone.done = bool(done)
    milestone.save(update_fields=["done"])
    audit_record(
        actor=seat.user,
        verb="milestone.done" if done else "milestone.undone",
        obj=milestone,
        partner=venture.partner,
    )
    return milestone


def _update_exists(month) -> Conflict:
    return Conflict(
        _("This venture already has an update for %(month)s.")
        % {"month": formatting.month_name(month)},
        errors={"period": [_("Already updated for this month.")]},
    )


@transaction.atomic
def venture_post_update(
    *,
    seat: FamilySeat,
    venture: Venture,
    period,
    revenue,
    costs,
    household_jobs: int = 0,
    other_jobs: int = 0,
    note: str = "",
    photo=None,
) -> VentureUpdate:
    from surveys.services import parse_period  # months are written the same way everywhere

    _owner_check(seat, venture)
    month = parse_period(period)
    if month > timezone.localdate().replace(day=1):
        raise InvalidInput.for_field("period", _("This month has not come yet."))
    if too_early := before_the_cohort(venture.cohort, month):
        raise InvalidInput.for_field("period", too_early)
    ceiling = venture.partner.survey_money_ceiling
    errors = {}
    values = {}
    for name, value in (("revenue", revenue), ("costs", costs)):
        try:
            values[name] = money(value, name, ceiling=ceiling, positive=False)
        except InvalidInput as exc:
            errors.update(exc.errors)
    for name, value in (("household_jobs", household_jobs), ("other_jobs", other_jobs)):
        try:
            values[name] = to_whole_number(value or 0)
            if not 0 <= values[name] <= 500:
                raise ValueError
        except ValueError:
            errors[name] = [_("Enter a number of people between 0 and 500.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    # Checked before saving, so that a refused update writes no photo to disk.
    if VentureUpdate.objects.filter(venture=venture, period=month).exists():
        raise _update_exists(month)
    update = VentureUpdate(
        partner_id=venture.partner_id,
        venture=venture,
        period=month,
        note=(note or "").strip(),
        created_by=seat.user,
        **values,
    )
    if photo is not None:
        update.photo = photo
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError as exc:
        # Another update of this month got in first: its row stays, this photo goes.
        if update.photo:
            update.photo.delete(save=False)
        raise _update_exists(month) from exc
    audit_record(
        actor=seat.user,
        verb="venture.update",
        obj=update,
        partner=venture.partner,
        after={"period": month.strftime("%Y-%m"), "revenue": str(values["revenue"])},
    )
    return update


# Funding asks ----------------------------------------------------------------------------------


def usd_estimate(amount: Decimal, currency: str) -> Decimal | None:
    if currency == "USD":
        return amount
    rate = ExchangeRate.objects.filter(currency=currency).first()
    if rate is None:
        return None
    return (amount * rate.usd_per_unit).quantize(Decimal("0.01"))


@transaction.atomic
def ask_create(
    *,
    seat: FamilySeat,
    venture: Venture,
    kind: str,
    amount,
    purpose: str,
    deadline: datetime.date,
    friends_first_days: int | None = None,
    budget_line_ids=(),
    repayment_months: int | None = None,
) -> FundingAsk:
    _owner_check(seat, venture)
    partner = venture.partner
    terms = _ask_terms(
        venture=venture,
        kind=kind,
        amount=amount,
        purpose=purpose,
        deadline=deadline,
        friends_first_days=friends_first_days,
        budget_line_ids=budget_line_ids,
        repayment_months=repayment_months,
    )
    lines = terms.pop("lines")
    ask = FundingAsk.objects.create(
        partner=partner,
        venture=venture,
        currency=partner.currency,
        usd_estimate=usd_estimate(terms["amount"], partner.currency),
        created_by=seat.user,
        **terms,
    )
    ask.budget_lines.set(lines)
    audit_record(
        actor=seat.user,
        verb="ask.create",
        obj=ask,
        partner=partner,
        after={"kind": kind, "amount": str(terms["amount"]), "state": ask.state},
    )
    return ask


def _open(ask: FundingAsk) -> None:
    now = timezone.now()
    ask.state = FundingAsk.State.OPEN
    ask.opened_at = now
    ask.public_from = now + datetime.timedelta(days=ask.friends_first_days)


@transaction.atomic
def ask_submit(*, seat: FamilySeat, ask: FundingAsk) -> FundingAsk:
    """Publish, after the partner's check when it requires one. Friends see it first."""
    _owner_check(seat, ask.venture)
    ask = FundingAsk.objects.select_for_update().select_related("partner").get(pk=ask.pk)
    if ask.state not in (FundingAsk.State.DRAFT, FundingAsk.State.DECLINED):
        raise Conflict(_("This ask was already sent."))
    if ask.deadline <= timezone.localdate():
        raise InvalidInput.for_field("deadline", _("Choose a deadline after today."))
    before = ask.state
    if ask.partner.funding_asks_need_review:
        ask.state = FundingAsk.State.IN_REVIEW
    else:
        _open(ask)
    ask.save(update_fields=["state", "opened_at", "public_from"])
    audit_record(
        actor=seat.user,
        verb="ask.submit",
        obj=ask,
        partner=ask.partner,
        before={"state": before},
        after={"state": ask.state},
    )
    return ask


@transaction.atomic
def ask_review(
    *, seat: policy.Seat, ask: FundingAsk, decision: str, reason: str = ""
) -> FundingAsk:
    """A compliance check only: approve or decline with a reason. Staff cannot edit an ask."""
    policy.require(seat, "ask.review")
    if ask.partner_id != seat.partner.pk:
        raise NotFound(_("Not found."))
    ask = FundingAsk.objects.select_for_update().get(pk=ask.pk)
    if ask.state != FundingAsk.State.IN_REVIEW:
        raise Conflict(_("Only an ask waiting for the partner's check can be reviewed."))
    reason = (reason or "").strip()
    if decision not in AskReview.Decision.values:
        raise InvalidInput.for_field("decision", _("Approve or decline."))
    if decision == AskReview.Decision.DECLINE and not reason:
        raise InvalidInput.for_field("reason", _("Say why, so the family can change it."))
    AskReview.objects.create(
        partner=seat.partner, ask=ask, reviewer=seat.user, decision=decision, reason=reason
    )
    if decision == AskReview.Decision.APPROVE:
        _open(ask)
    else:
        ask.state = FundingAsk.State.DECLINED
    ask.save(update_fields=["state", "opened_at", "public_from"])
    audit_record(
        actor=seat.user,
        verb="ask.review",
        obj=ask,
        partner=seat.partner,
        before={"state": "in_review"},
        after={"state": ask.state, "reason": reason},
    )
    return ask


@transaction.atomic
def ask_close(*, seat: FamilySeat, ask: FundingAsk) -> FundingAsk:
    _owner_check(seat, ask.venture)
    ask = FundingAsk.objects.select_for_update().get(pk=ask.pk)
    if ask.state in (FundingAsk.State.CLOSED, FundingAsk.State.EXPIRED):
        raise Conflict(_("This ask is already closed."))
    before = ask.state
    ask.state = FundingAsk.State.CLOSED
    ask.save(update_fields=["state"])
    audit_record(
        actor=seat.user,
        verb="ask.close",
        obj=ask,
        partner=seat.family.partner,
        before={"state": before},
        after={"state": "closed"},
    )
    return ask


def asks_expire(*, today: datetime.date | None = None) -> int:
    """Open asks past their deadline expire (the nightly job; safe to run twice)."""
    today = today or timezone.localdate()
    expired = 0
    for ask in FundingAsk.objects.filter(state=FundingAsk.State.OPEN, deadline__lt=today):
        with transaction.atomic():
            updated = FundingAsk.objects.filter(pk=ask.pk, state=FundingAsk.State.OPEN).update(
                state=FundingAsk.State.EXPIRED
            )
            if updated:
                expired += 1
                audit_record(
                    actor=None,
                    verb="ask.expire",
                    obj=ask,
                    partner=ask.partner,
                    before={"state": "open"},
                    after={"state": "expired"},
                )
    return expired


def pledged_total(ask: FundingAsk) -> Decimal:
    return ask.pledges.filter(status__in=COUNTED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")


@transaction.atomic
def pledge_create(*, user: User, ask: FundingAsk, amount) -> Pledge:
    """A funder pledges toward an open, public ask. Pledges never push an ask past its amount:
    the ask's row is locked, so two funders at once cannot both take the last part."""
    funder = FunderProfile.objects.filter(user=user).first()
    if funder is None:
        raise NotAllowed(_("Only funders pledge."))
    ask = FundingAsk.objects.select_for_update().select_related("partner").get(pk=ask.pk)
    if ask.state == FundingAsk.State.FUNDED:
        # It was public; a funder who pledges just after the last part was taken is told so.
        raise Conflict(
            _("This ask is fully funded: nothing more is needed."),
            errors={"amount": [_("Nothing more is needed.")]},
        )
    if not ask.is_public:
        raise NotFound(_("Not found."))
    if ask.deadline < timezone.localdate():
        raise Conflict(_("This ask has passed its deadline."))
    value = money(amount, "amount", ceiling=ask.partner.survey_money_ceiling)
    left = ask.amount - pledged_total(ask)
    if value > left:
        raise Conflict(
            _("Only %(left)s is still needed.")
            % {"left": formatting.money(left.quantize(Decimal("0.01"), ROUND_DOWN), ask.currency)},
            errors={
                "amount": [_("At most %(left)s.") % {"left": formatting.money(left, ask.currency)}]
            },
        )
    pledge = Pledge.objects.create(
        partner=ask.partner, ask=ask, funder=funder, amount=value, currency=ask.currency
    )
    if value == left:
        ask.state = FundingAsk.State.FUNDED
        ask.save(update_fields=["state"])
    audit_record(
        actor=user,
        verb="pledge.create",
        obj=pledge,
        partner=ask.partner,
        after={"amount": str(value), "ask_state": ask.state},
    )
    return pledge


@transaction.atomic
def pledge_mark(*, seat: policy.Seat, pledge: Pledge, status: str) -> Pledge:
    """Staff record that the money arrived, was passed to the family, or fell through (which
    re-opens a funded ask for the missing part)."""
    policy.require(seat, "pledge.manage")
    if pledge.partner_id != seat.partner.pk:
        raise NotFound(_("Not found."))
    pledge = (
        Pledge.objects.select_for_update()
        .select_related("ask")
        .get(pk=pledge.pk, partner=seat.partner)
    )
    steps = {
        Pledge.Status.RECEIVED: {Pledge.Status.PLEDGED},
        Pledge.Status.FULFILLED: {Pledge.Status.RECEIVED},
        Pledge.Status.FELL_THROUGH: {Pledge.Status.PLEDGED, Pledge.Status.RECEIVED},
    }
    if status not in steps:
        raise InvalidInput.for_field("status", _("Choose received, passed on or fell through."))
    if pledge.status not in steps[status]:
        raise Conflict(
            _("This pledge cannot move from %(s)s to that.") % {"s": pledge.get_status_display()}
        )
    before = pledge.status
    pledge.status = status
    now = timezone.now()
    if status == Pledge.Status.RECEIVED:
        pledge.received_at = now
    elif status == Pledge.Status.FULFILLED:
        pledge.fulfilled_at = now
    pledge.save(update_fields=["status", "received_at", "fulfilled_at"])
    ask = FundingAsk.objects.select_for_update().get(pk=pledge.ask_id)
    if status == Pledge.Status.FELL_THROUGH and ask.state == FundingAsk.State.FUNDED:
        ask.state = FundingAsk.State.OPEN
        ask.save(update_fields=["state"])
    audit_record(
        actor=seat.user,
        verb="pledge.mark",
        obj=pledge,
        partner=seat.partner,
        before={"status": before},
        after={"status": status},
    )
    return pledge


@transaction.atomic
def repayment_schedule_create(
    *, seat: policy.Seat, ask: FundingAsk, first_due_on: datetime.date
) -> list[Repayment]:
    """Equal monthly instalments of a funded loan (the last one takes the rounding)."""
    policy.require(seat, "pledge.manage")
    if ask.partner_id != seat.partner.pk:
        raise NotFound(_("Not found."))
    ask = FundingAsk.objects.select_for_update().get(pk=ask.pk, partner=seat.partner)
    if ask.kind != FundingAsk.Kind.LOAN or ask.state != FundingAsk.State.FUNDED:
        raise Conflict(_("Only a funded loan gets a repayment schedule."))
    if ask.repayments.exists():
        raise Conflict(_("This loan already has a repayment schedule."))
    months = ask.repayment_months
    share = (ask.amount / months).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    instalments = []
    due = first_due_on
    for number in range(months):
        amount = share if number < months - 1 else ask.amount - share * (months - 1)
        instalments.append(Repayment(partner=seat.partner, ask=ask, due_on=due, amount_due=amount))
        due = (due.replace(day=1) + datetime.timedelta(days=32)).replace(
            day=min(first_due_on.day, 28)
        )
    Repayment.objects.bulk_create(instalments)
    audit_record(
        actor=seat.user,
        verb="loan.schedule",
        obj=ask,
        partner=seat.partner,
        after={"instalments": months, "first_due_on": first_due_on.isoformat()},
    )
    return instalments


@transaction.atomic
def repayment_record(
    *, seat: policy.Seat, repayment: Repayment, amount, paid_on: datetime.date
) -> Repayment:
    policy.require(seat, "pledge.manage")
    if repayment.partner_id != seat.partner.pk:
        raise NotFound(_("Not found."))
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk, partner=seat.partner)
    value = money(amount, "amount", ceiling=seat.partner.survey_money_ceiling)
    if repayment.amount_paid + value > repayment.amount_due:
        raise InvalidInput.for_field("amount", _("This is more than is due for this instalment."))
    if paid_on > timezone.localdate():
        raise InvalidInput.for_field("paid_on", _("The date cannot be in the future."))
    repayment.amount_paid += value
    repayment.paid_on = paid_on
    repayment.recorded_by = seat.user
    repayment.save(update_fields=["amount_paid", "paid_on", "recorded_by"])
    audit_record(
        actor=seat.user,
        verb="loan.repayment",
        obj=repayment,
        partner=seat.partner,
        after={"amount": str(value), "paid_on": paid_on.isoformat()},
    )
    return repayment


@transaction.atomic
def exchange_rate_set(*, user: User, currency: str, usd_per_unit) -> ExchangeRate:
    """Platform admins keep the rate table used for funders' approximate USD values."""
    policy.require_platform_admin(user)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput.for_field("currency", _("Use a three-letter currency code."))
    try:
        # The table keeps 8 decimal places and 10 digits before the point.
        rate = to_decimal(usd_per_unit).quantize(Decimal("0.00000001"))
        if rate <= 0:
            raise InvalidOperation
    except (InvalidOperation, NotANumber):
        raise InvalidInput.for_field("usd_per_unit", _("Enter a rate above zero.")) from None
    if rate >= 10**10:
        raise InvalidInput.for_field("usd_per_unit", _("This rate is too large."))
    row, _created = ExchangeRate.objects.update_or_create(
        currency=currency, defaults={"usd_per_unit": rate, "updated_by": user}
    )
    audit_record(
        actor=user,
        verb="exchange_rate.set",
        obj=row,
        partner=None,
        after={"currency": currency, "usd_per_unit": str(rate)},
    )
    return row


def _ask_terms(
    *,
    venture: Venture,
    kind: str,
    amount,
    purpose: str,
    deadline,
    friends_first_days,
    budget_line_ids,
    repayment_months,
) -> dict:
    """An ask's terms, checked for `ask_create` and `ask_revise`: a 400 naming every bad
    field."""
    partner = venture.partner
    errors: dict[str, list[str]] = {}
    if kind not in FundingAsk.Kind.values:
        errors["kind"] = [_("Choose a donation, a loan or an investment.")]
    try:
        value = money(amount, "amount", ceiling=partner.survey_money_ceiling)
    except InvalidInput as exc:
        errors.update(exc.errors)
        value = None
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the money is for.")]
    if not isinstance(deadline, datetime.date) or deadline <= timezone.localdate():
        errors["deadline"] = [_("Choose a deadline after today.")]
    days = partner.friends_first_days if friends_first_days is None else friends_first_days
    if not isinstance(days, int) or not 0 <= days <= 60:
        errors["friends_first_days"] = [_("Choose between 0 and 60 days.")]
    if kind == FundingAsk.Kind.LOAN and not (
        isinstance(repayment_months, int) and 1 <= repayment_months <= 60
    ):
        errors["repayment_months"] = [_("Say over how many months (1 to 60) you would repay.")]
    elif kind == FundingAsk.Kind.LOAN and value is not None and value / repayment_months < 1:
        errors["repayment_months"] = [_("Each monthly repayment must be at least 1.00.")]
    current = venture.plans.order_by("-number").first()
    lines = list(BudgetLine.objects.filter(plan=current, pk__in=set(budget_line_ids or [])))
    if budget_line_ids and len(lines) != len(set(budget_line_ids)):
        errors["budget_lines"] = [_("Choose budget lines of the venture's current plan.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    return {
        "kind": kind,
        "amount": value,
        "purpose": purpose.strip(),
        "deadline": deadline,
        "friends_first_days": days,
        "repayment_months": repayment_months if kind == FundingAsk.Kind.LOAN else None,
        "lines": lines,
    }


@transaction.atomic
def ask_revise(
    *,
    seat: FamilySeat,
    ask: FundingAsk,
    kind: str,
    amount,
    purpose: str,
    deadline: datetime.date,
    friends_first_days: int | None = None,
    budget_line_ids=(),
    repayment_months: int | None = None,
) -> FundingAsk:
    """Owners change a draft, or an ask the partner declined, before sending it (again)."""
    _owner_check(seat, ask.venture)
    ask = (
        FundingAsk.objects.select_for_update()
        .select_related("partner", "venture__partner")
        .get(pk=ask.pk)
    )
    if ask.state not in (FundingAsk.State.DRAFT, FundingAsk.State.DECLINED):
        raise Conflict(_("Only a draft or an ask that was not approved can be changed."))
    terms = _ask_terms(
        venture=ask.venture,
        kind=kind,
        amount=amount,
        purpose=purpose,
        deadline=deadline,
        friends_first_days=friends_first_days,
        budget_line_ids=budget_line_ids,
        repayment_months=repayment_months,
    )
    before = {"kind": ask.kind, "amount": str(ask.amount), "deadline": ask.deadline.isoformat()}
    lines = terms.pop("lines")
    for name, value in terms.items():
        setattr(ask, name, value)
    ask.usd_estimate = usd_estimate(ask.amount, ask.currency)
    ask.save(update_fields=[*terms, "usd_estimate"])
    ask.budget_lines.set(lines)
    audit_record(
        actor=seat.user,
        verb="ask.revise",
        obj=ask,
        partner=ask.partner,
        before=before,
        after={"kind": ask.kind, "amount": str(ask.amount), "deadline": ask.deadline.isoformat()},
    )
    return ask


@transaction.atomic
def venture_set_visibility(*, seat: FamilySeat, venture: Venture, visibility: str) -> Venture:
    """The owners choose who sees their venture; funders see its asks only when it is public."""
    _owner_check(seat, venture)
    if visibility not in Venture.Visibility.values:
        raise InvalidInput.for_field("visibility", _("Choose who may see the venture."))
    venture = Venture.objects.select_for_update().get(pk=venture.pk)
    before = venture.visibility
    venture.visibility = visibility
    venture.save(update_fields=["visibility"])
    audit_record(
        actor=seat.user,
        verb="venture.visibility",
        obj=venture,
        partner=seat.family.partner,
        before={"visibility": before},
        after={"visibility": visibility},
    )
    return venture
