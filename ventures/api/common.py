"""Shared pieces of the ventures API: who is asking, and ventures, asks and pledges as the API
shows them. Money is a decimal string with its `currency`.

The API's URLs carry no partner. Staff and liaisons are resolved from the object (a venture, an
ask or a pledge names its partner; the caller needs a membership there and may see its cohort);
families act through their own household; funders are users with a funder profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts import policy
from accounts import selectors as account_selectors
from families import access as family_access
from families.access import FamilySeat
from families.api.common import FamilyRefSerializer
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from ventures import access, selectors
from ventures.models import FundingAsk, Pledge, Venture, VentureUpdate


def money_field(**kwargs):
    kwargs.setdefault("help_text", "A decimal string, in `currency`.")
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def money_input(**kwargs):
    kwargs.setdefault("help_text", "A decimal string above zero, in the partner's currency.")
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def choice_param(request, name: str, choices) -> str | None:
    """An optional query parameter that must be one of `choices`; a 400 naming it otherwise."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices.values:
        raise InvalidInput.for_field(
            name, _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}
        )
    return value


def remap_errors(exc: InvalidInput, names: dict[str, str]) -> InvalidInput:
    """A service's error with its field names as the API spells them."""
    exc.errors = {names.get(field, field): messages for field, messages in exc.errors.items()}
    return exc


# Who is asking ---------------------------------------------------------------------------------


def acting_family(user, *, staff_message: str) -> FamilySeat:
    """The caller's household, for what only families do. Staff and liaisons get 403 with
    `staff_message`; anyone else a 403 saying only family members do this."""
    seat = family_access.family_seat_or_none(user)
    if seat is not None:
        return seat
    if family_access.staff_seats(user):
        raise NotAllowed(staff_message)
    raise NotAllowed(_("Only family members can do this."))


@dataclass
class VentureReader:
    venture: Venture
    family: FamilySeat | None = None
    owner: bool = False
    staff: policy.Seat | None = None


def venture_for_reader(user, venture_id) -> VentureReader:
    """A venture the caller's family may see, or one of a cohort the caller (staff, liaison)
    may see; else 404."""
    family = family_access.family_seat_or_none(user)
    if family is not None:
        try:
            venture = access.access_venture_for_family(family, venture_id)
        except NotFound:
            pass
        else:
            owner = policy.family_owns_venture(family.family, venture)
            return VentureReader(venture=venture, family=family, owner=owner)
    seat, venture = access.staff_seat_for_venture(user, venture_id)
    return VentureReader(venture=venture, staff=seat)


def owned_venture(user, venture_id, *, message: str) -> tuple[FamilySeat, Venture]:
    """A venture the caller's family owns. Whoever else may see it gets 403 with `message`;
    anyone else 404."""
    reader = venture_for_reader(user, venture_id)
    if not reader.owner:
        raise NotAllowed(message)
    return reader.family, reader.venture


@dataclass
class AskReader:
    ask: FundingAsk
    family: FamilySeat | None = None
    owner: bool = False
    staff: policy.Seat | None = None
    funder: bool = False


def ask_for_reader(user, ask_id) -> AskReader:
    """An ask the caller may read: its owners (any state); families who may see the venture
    (once published); staff and liaisons of its cohort (never drafts); funders (once public, or
    one they pledged to). Else 404."""
    family = family_access.family_seat_or_none(user)
    if family is not None:
        try:
            ask, owner = access.access_ask_for_family_reader(family, ask_id)
        except NotFound:
            pass
        else:
            return AskReader(ask=ask, family=family, owner=owner)
    try:
        seat, ask = access.staff_seat_for_ask(user, ask_id)
    except NotFound:
        pass
    else:
        return AskReader(ask=ask, staff=seat)
    if account_selectors.funder_profile_for(user) is not None:
        return AskReader(ask=access.access_ask_for_funder(user, ask_id), funder=True)
    raise NotFound(_("Not found."))


def is_funder(user) -> bool:
    return account_selectors.funder_profile_for(user) is not None


# Ventures --------------------------------------------------------------------------------------


def venture_dict(venture: Venture, *, currency: str) -> dict:
    """`venture` (with its owners prefetched) for `VentureSerializer` and its extensions."""
    return {
        "id": venture.pk,
        "name": venture.name,
        "kind": venture.kind,
        "sector": venture.sector,
        "description": venture.description,
        "location": venture.location,
        "started_on": venture.started_on,
        "visibility": venture.visibility,
        "cohort": venture.cohort_id,
        "group": venture.group_id,
        "collective": venture.is_collective,
        "owners": [{"id": f.pk, "name": f.name} for f in venture.owners.all()],
        "currency": currency,
        "created_at": venture.created_at,
    }


def venture_data(venture: Venture, *, currency: str) -> dict:
    return VentureSerializer(venture_dict(venture, currency=currency)).data


class BudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField()
    amount = money_field()


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    due_on = serializers.DateField()
    done = serializers.BooleanField()


class PlanSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Plans are versioned: 1, 2, ...")
    expected_monthly_revenue = money_field()
    budget = BudgetLineSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    created_at = serializers.DateTimeField()


def plan_data(plan) -> dict | None:
    if plan is None:
        return None
    return {
        "number": plan.number,
        "expected_monthly_revenue": plan.expected_monthly_revenue,
        "budget": [
            {"id": line.pk, "item": line.item, "amount": line.amount}
            for line in plan.budget_lines.all()
        ],
        "milestones": [
            {"id": m.pk, "what": m.what, "due_on": m.due_on, "done": m.done}
            for m in plan.milestones.all()
        ],
        "created_at": plan.created_at,
    }


class VentureUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField(help_text="The month, YYYY-MM.")
    revenue = money_field()
    costs = money_field()
    currency = serializers.CharField()
    household_jobs = serializers.IntegerField()
    other_jobs = serializers.IntegerField()
    note = serializers.CharField()
    has_photo = serializers.BooleanField(
        help_text="Photos are shown on the family's pages, never as public files."
    )
    created_at = serializers.DateTimeField()


def update_dict(update: VentureUpdate, *, currency: str) -> dict:
    return {
        "id": update.pk,
        "period": update.period.strftime("%Y-%m"),
        "revenue": update.revenue,
        "costs": update.costs,
        "currency": currency,
        "household_jobs": update.household_jobs,
        "other_jobs": update.other_jobs,
        "note": update.note,
        "has_photo": bool(update.photo),
        "created_at": update.created_at,
    }


def update_data(update: VentureUpdate, *, currency: str) -> dict:
    return VentureUpdateSerializer(update_dict(update, currency=currency)).data


# Asks ------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    pledged = money_field(help_text="Pledged so far (pledges that fell through do not count).")
    left = money_field(help_text="Still needed.")
    percent = serializers.IntegerField(min_value=0, max_value=100)


class VentureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.ChoiceField(choices=Venture.Sector.choices)


class PartnerRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166 country code.")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class FundingAskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    venture = VentureRefSerializer()
    partner = PartnerRefSerializer()
    kind = serializers.ChoiceField(choices=FundingAsk.Kind.choices)
    amount = money_field()
    currency = serializers.CharField(help_text="The partner's ISO 4217 currency code.")
    usd_estimate = money_field(
        allow_null=True,
        help_text="Approximately what the amount is worth in US dollars (from the platform's "
        "rate table; null without a rate).",
    )
    purpose = serializers.CharField()
    deadline = serializers.DateField()
    friends_first_days = serializers.IntegerField()
    repayment_months = serializers.IntegerField(
        allow_null=True, help_text="For loans: the monthly instalments the family proposes."
    )
    state = serializers.ChoiceField(choices=FundingAsk.State.choices)
    is_public = serializers.BooleanField(help_text="Open, and past its days for friends first.")
    opened_at = serializers.DateTimeField(allow_null=True)
    public_from = serializers.DateTimeField(allow_null=True)
    progress = ProgressSerializer()
    created_at = serializers.DateTimeField()
    # In the detail (GET funding-asks/{id}/ and the answers to its actions) only:
    budget_lines = BudgetLineSerializer(
        many=True,
        required=False,
        help_text="The lines of the venture's plan this ask pays for (detail only).",
    )
    review = ReviewSerializer(
        required=False,
        allow_null=True,
        help_text="The partner's latest check (detail only; its owners and staff see it, null "
        "for others).",
    )


def ask_dict(ask: FundingAsk, *, venture: Venture | None = None) -> dict:
    """`ask` with its venture and partner loaded (or its `venture` given, with the venture's
    partner loaded), annotated with `pledged` in lists."""
    partner = ask.partner if venture is None else venture.partner
    venture = venture or ask.venture
    progress = selectors.progress_of(ask)
    return {
        "id": ask.pk,
        "venture": {"id": venture.pk, "name": venture.name, "sector": venture.sector},
        "partner": {"name": partner.name, "country": partner.country},
        "kind": ask.kind,
        "amount": ask.amount,
        "currency": ask.currency,
        "usd_estimate": ask.usd_estimate,
        "purpose": ask.purpose,
        "deadline": ask.deadline,
        "friends_first_days": ask.friends_first_days,
        "repayment_months": ask.repayment_months,
        "state": ask.state,
        "is_public": ask.is_public,
        "opened_at": ask.opened_at,
        "public_from": ask.public_from,
        "progress": {
            "pledged": progress.pledged,
            "left": progress.left,
            "percent": progress.percent,
        },
        "created_at": ask.created_at,
    }


def ask_data(ask: FundingAsk, *, venture: Venture | None = None) -> dict:
    return FundingAskSerializer(ask_dict(ask, venture=venture)).data


def ask_detail_data(ask: FundingAsk, *, show_review: bool) -> dict:
    data = ask_dict(ask)
    data["budget_lines"] = [
        {"id": line.pk, "item": line.item, "amount": line.amount} for line in ask.budget_lines.all()
    ]
    review = selectors.ask_latest_review(ask) if show_review else None
    data["review"] = (
        {"decision": review.decision, "reason": review.reason, "created_at": review.created_at}
        if review
        else None
    )
    return FundingAskSerializer(data).data


class VentureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Venture.Kind.choices)
    sector = serializers.ChoiceField(choices=Venture.Sector.choices)
    description = serializers.CharField()
    location = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    visibility = serializers.ChoiceField(choices=Venture.Visibility.choices)
    cohort = serializers.IntegerField()
    group = serializers.IntegerField(
        allow_null=True, help_text="For a collective venture: the group whose families own it."
    )
    collective = serializers.BooleanField()
    owners = FamilyRefSerializer(many=True)
    currency = serializers.CharField(help_text="The partner's ISO 4217 currency code.")
    created_at = serializers.DateTimeField()
    # In the detail (GET ventures/{id}/ and the answer to its creation) only:
    plan = PlanSerializer(
        required=False, allow_null=True, help_text="The current version of the plan (detail only)."
    )
    updates = VentureUpdateSerializer(
        many=True,
        required=False,
        help_text="The latest 12 months, the newest first (detail only; all at .../updates/).",
    )
    asks = FundingAskSerializer(
        many=True,
        required=False,
        help_text="Its funding asks with their progress (detail only): all of them for its "
        "owners; for other families, those published; for staff, all but drafts.",
    )
    you_own = serializers.BooleanField(
        required=False, help_text="Whether the caller's family owns it (detail only)."
    )


# Pledges ---------------------------------------------------------------------------------------


class FunderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ask = serializers.IntegerField()
    funder = FunderRefSerializer()
    amount = money_field()
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=Pledge.Status.choices)
    created_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    fulfilled_at = serializers.DateTimeField(allow_null=True)


def pledge_data(pledge: Pledge) -> dict:
    """`pledge` with its funder and the funder's user loaded."""
    funder = pledge.funder
    return PledgeSerializer(
        {
            "id": pledge.pk,
            "ask": pledge.ask_id,
            "funder": {"id": funder.pk, "name": funder.organization or funder.user.name},
            "amount": pledge.amount,
            "currency": pledge.currency,
            "status": pledge.status,
            "created_at": pledge.created_at,
            "received_at": pledge.received_at,
            "fulfilled_at": pledge.fulfilled_at,
        }
    ).data
