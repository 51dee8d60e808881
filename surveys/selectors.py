"""Reads for surveys: the liaison's queue, a family's surveys and progress, stipends."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts import policy
from families.access import FamilySeat
from families.models import Cohort, Family
from surveys.models import (
    PaymentBatch,
    Practice,
    Stipend,
    Story,
    SurveyResponse,
    SurveyRevision,
)
from surveys.services.responses import INCOME_KEYS
from surveys.services.templates import ensure_default_practices

WAITING = (SurveyResponse.State.SUBMITTED, SurveyResponse.State.RESUBMITTED)


def _visible_cohorts(seat: policy.Seat) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.filter(partner=seat.partner)
    if not seat.can("cohort.view_all"):
        cohorts = cohorts.filter(liaisons=seat.user)
    return cohorts


def review_queue(
    seat: policy.Seat,
    *,
    cohort_id: int | None = None,
    period: datetime.date | None = None,
    state: str | None = None,
) -> QuerySet[SurveyResponse]:
    """Surveys in the seat's cohorts, waiting ones by default, oldest first."""
    surveys = SurveyResponse.objects.filter(
        partner=seat.partner, cohort__in=_visible_cohorts(seat)
    ).select_related("family", "cohort")
    if cohort_id:
        surveys = surveys.filter(cohort_id=cohort_id)
    if period:
        surveys = surveys.filter(period=period)
    surveys = surveys.filter(state=state) if state else surveys.filter(state__in=WAITING)
    return surveys.order_by("submitted_at", "period", "pk")


def stories_waiting(seat: policy.Seat, *, cohort_id: int | None = None) -> QuerySet[Story]:
    stories = Story.objects.filter(
        partner=seat.partner, cohort__in=_visible_cohorts(seat), state=Story.State.SUBMITTED
    ).select_related("family", "cohort")
    if cohort_id:
        stories = stories.filter(cohort_id=cohort_id)
    return stories.order_by("created_at", "pk")


def cohorts_for_filters(seat: policy.Seat) -> QuerySet[Cohort]:
    return _visible_cohorts(seat).order_by("name")


def family_surveys(family: Family) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(partner=family.partner_id, family=family).order_by(
        "-period"
    )


def survey_for_month(family: Family, period: datetime.date) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(
        partner=family.partner_id, family=family, period=period
    ).first()


def latest_correction(survey: SurveyResponse):
    return survey.reviews.filter(action="request_correction").order_by("-created_at").first()


@dataclass
class Change:
    key: str
    before: object
    after: object


@dataclass
class RevisionDiff:
    revision: SurveyRevision
    changes: list[Change] = field(default_factory=list)


def revision_history(survey: SurveyResponse) -> list[RevisionDiff]:
    """Each saved version with what changed since the one before."""
    history = []
    previous: dict = {}
    for revision in SurveyRevision.objects.filter(
        partner=survey.partner_id, response=survey
    ).select_related("created_by"):
        keys = sorted(set(previous) | set(revision.answers))
        changes = [
            Change(key, previous.get(key), revision.answers.get(key))
            for key in keys
            if previous.get(key) != revision.answers.get(key)
        ]
        history.append(RevisionDiff(revision=revision, changes=changes))
        previous = revision.answers
    return history


def readable_stories(seat: FamilySeat) -> list[Story]:
    family = seat.family
    stories = (
        Story.objects.filter(partner=family.partner_id, cohort=family.cohort_id)
        .select_related("family")
        .prefetch_related("photos")
    )
    return [s for s in stories if policy.family_can_read_story(family, s)]


# Progress --------------------------------------------------------------------------------------

METRICS = (
    "income_wages",
    "income_business",
    "income_benefits",
    "income_other",
    "income_total",
    "savings_balance",
    "debt_formal",
    "debt_high_cost",
    "net_position",
    "help_given_value",
    "help_received_value",
)


def _metrics(answers: dict) -> dict[str, Decimal | None]:
    def money(key):
        value = answers.get(key)
        return None if value in (None, "") else Decimal(str(value))

    values = {key: money(key) for key in INCOME_KEYS}
    known = [v for v in values.values() if v is not None]
    values["income_total"] = sum(known, Decimal("0")) if known else None
    for key in ("savings_balance", "debt_formal", "debt_high_cost"):
        values[key] = money(key)
    parts = [values["savings_balance"], values["debt_formal"], values["debt_high_cost"]]
    values["net_position"] = (
        None if any(p is None for p in parts) else parts[0] - parts[1] - parts[2]
    )
    values["help_given_value"] = money("help_given_value")
    values["help_received_value"] = money("help_received_value")
    return values


@dataclass
class ProgressMonth:
    period: datetime.date
    values: dict[str, Decimal | None]
    change: dict[str, Decimal | None]


@dataclass
class Progress:
    currency: str
    baseline: dict[str, Decimal | None]
    baseline_months: list[datetime.date]
    months: list[ProgressMonth]


def family_progress(family: Family) -> Progress:
    """Month by month from verified surveys only, with the change against the baseline: the
    first verified month, or the mean of the first N (the partner's setting)."""
    surveys = list(
        SurveyResponse.objects.filter(
            partner=family.partner_id, family=family, state=SurveyResponse.State.VERIFIED
        )
        .order_by("period")
        .values_list("period", "answers")
    )
    months = [(period, _metrics(answers)) for period, answers in surveys]
    n = max(family.partner.baseline_months, 1)
    base_months = months[:n]
    baseline = {}
    for key in METRICS:
        values = [m[key] for _p, m in base_months if m[key] is not None]
        baseline[key] = (
            (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.01")) if values else None
        )
    series = [
        ProgressMonth(
            period=period,
            values=values,
            change={
                key: None
                if values[key] is None or baseline[key] is None
                else values[key] - baseline[key]
                for key in METRICS
            },
        )
        for period, values in months
    ]
    return Progress(
        currency=family.partner.currency,
        baseline=baseline,
        baseline_months=[p for p, _m in base_months],
        months=series,
    )


# Stipends --------------------------------------------------------------------------------------


def family_stipends(family: Family) -> QuerySet[Stipend]:
    return Stipend.objects.filter(partner=family.partner_id, family=family).select_related("survey")


def partner_stipends(seat: policy.Seat, *, status: str | None = None) -> QuerySet[Stipend]:
    stipends = Stipend.objects.filter(partner=seat.partner).select_related(
        "family", "survey", "batch"
    )
    if status:
        stipends = stipends.filter(status=status)
    return stipends.order_by("-created_at", "-pk")


def payment_batches(seat: policy.Seat) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(partner=seat.partner).order_by("-created_at")


def batch_stipends(batch: PaymentBatch) -> QuerySet[Stipend]:
    return (
        Stipend.objects.filter(partner=batch.partner_id, batch=batch)
        .select_related("family", "survey")
        .order_by("pk")
    )


PAYMENT_HEADER = [
    "payment_id",
    "family",
    "contact_email",
    "contact_phone",
    "month",
    "amount",
    "currency",
    "status",
]


def payment_batch_rows(batch: PaymentBatch) -> list[list]:
    """The batch for a payment tool (write with mutuality.csv_safety, under PAYMENT_HEADER)."""
    return [
        [
            s.pk,
            s.family.name,
            s.family.contact_email,
            s.family.contact_phone,
            s.survey.month,
            s.amount,
            s.currency,
            s.status,
        ]
        for s in batch_stipends(batch)
    ]


def waiting_counts(seat: policy.Seat) -> dict:
    surveys = SurveyResponse.objects.filter(
        partner=seat.partner, cohort__in=_visible_cohorts(seat), state__in=WAITING
    ).count()
    stories = Story.objects.filter(
        partner=seat.partner, cohort__in=_visible_cohorts(seat), state=Story.State.SUBMITTED
    ).count()
    return {"surveys": surveys, "stories": stories}


def practice_choices(partner) -> list[tuple[str, str]]:
    """(slug, name in the active language) of the practices a family may report."""
    ensure_default_practices()
    practices = Practice.objects.filter(is_active=True).filter(
        Q(partner__isnull=True) | Q(partner=partner)
    )
    return sorted(((p.slug, p.name) for p in practices), key=lambda item: item[1].lower())
