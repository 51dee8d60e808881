"""Reads for surveys: the liaison's queue, a family's surveys and progress, stipends."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts import policy
from families.access import FamilySeat
from families.models import Cohort, Family
from surveys.models import (
    ActionReport,
    PaymentBatch,
    Practice,
    Review,
    Stipend,
    Story,
    SurveyResponse,
    SurveyRevision,
)
from surveys.services.responses import INCOME_KEYS, open_periods
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


def story_photos(story: Story) -> list:
    """A story's photos in the order they were added (`?n=0` is the first)."""
    return list(story.photos.filter(partner=story.partner_id).order_by("pk"))


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


def payment_batch_summaries(seat: policy.Seat) -> QuerySet[PaymentBatch]:
    """The partner's batches, newest first, each with `stipend_count` and `stipend_total`."""
    return payment_batches(seat).annotate(
        stipend_count=Count("stipends"), stipend_total=Sum("stipends__amount")
    )


@dataclass
class StipendTotal:
    status: str
    label: str
    currency: str
    count: int
    total: Decimal


def stipend_totals(seat: policy.Seat, *, batch: PaymentBatch | None = None) -> list[StipendTotal]:
    """How many stipends, and how much, per status (and currency), in one query; every status
    appears, with zero when it has none in the partner's currency."""
    stipends = Stipend.objects.filter(partner=seat.partner)
    if batch is not None:
        stipends = stipends.filter(batch=batch)
    rows = stipends.values("status", "currency").annotate(n=Count("id"), total=Sum("amount"))
    found = {(row["status"], row["currency"]): row for row in rows}
    labels = dict(Stipend.Status.choices)
    others = {currency for _status, currency in found} - {seat.partner.currency}
    currencies = [seat.partner.currency, *sorted(others)]
    totals = []
    for status in Stipend.Status.values:
        for currency in currencies:
            row = found.get((status, currency))
            if row is None and currency != seat.partner.currency:
                continue
            totals.append(
                StipendTotal(
                    status=status,
                    label=str(labels[status]),
                    currency=currency,
                    count=row["n"] if row else 0,
                    total=row["total"] if row else Decimal("0.00"),
                )
            )
    return totals


def payable_stipends(seat: policy.Seat) -> QuerySet[Stipend]:
    """What a new batch would take: stipends earned and not yet scheduled, and failed ones."""
    return Stipend.objects.filter(
        partner=seat.partner, status__in=(Stipend.Status.ACCRUED, Stipend.Status.FAILED)
    )


def payable_summary(seat: policy.Seat) -> dict:
    """{"count", "total", "currency", "failed"} of what a new batch would take."""
    totals = payable_stipends(seat).aggregate(
        count=Count("id"),
        total=Sum("amount"),
        failed=Count("id", filter=Q(status=Stipend.Status.FAILED)),
    )
    return {
        "count": totals["count"],
        "total": totals["total"] or Decimal("0.00"),
        "failed": totals["failed"],
        "currency": seat.partner.currency,
    }


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


def practice_catalogue(partner) -> QuerySet[Practice]:
    """The platform's practices and the partner's own, the platform's first."""
    ensure_default_practices()
    return Practice.objects.filter(Q(partner__isnull=True) | Q(partner=partner)).order_by(
        F("partner").asc(nulls_first=True), "slug", "pk"
    )


def practice_by_slug(partner, slug: str) -> Practice | None:
    """An active practice of the partner's catalogue (the platform's or its own), by slug."""
    ensure_default_practices()
    return (
        Practice.objects.filter(is_active=True, slug=slug or "")
        .filter(Q(partner__isnull=True) | Q(partner=partner))
        .order_by(F("partner").asc(nulls_first=True))
        .first()
    )


# The family's own pages ------------------------------------------------------------------------


@dataclass
class MonthOverview:
    """One month a family may still report, as its home page shows it."""

    period: datetime.date
    survey: SurveyResponse | None
    correction: Review | None = None  # the liaison's latest request, while one is open

    @property
    def month(self) -> str:
        return self.period.strftime("%Y-%m")

    @property
    def state(self) -> str:
        return self.survey.state if self.survey else "not_started"


def survey_overview(family: Family, today: datetime.date | None = None) -> list[MonthOverview]:
    """This month and any month still open (services.open_periods), newest first, each with
    its survey if one exists and, when it needs a correction, the liaison's reason. Two
    queries at most, whatever the months."""
    periods = open_periods(family, today)
    if not periods:
        return []
    surveys = {
        survey.period: survey
        for survey in SurveyResponse.objects.filter(
            partner=family.partner_id, family=family, period__in=periods
        )
    }
    waiting_fix = [
        s.pk for s in surveys.values() if s.state == SurveyResponse.State.NEEDS_CORRECTION
    ]
    corrections: dict[int, Review] = {}
    if waiting_fix:
        for review in Review.objects.filter(
            partner=family.partner_id,
            response_id__in=waiting_fix,
            action=Review.Action.REQUEST_CORRECTION,
        ).order_by("response_id", "-created_at", "-id"):
            corrections.setdefault(review.response_id, review)
    overview = []
    for period in periods:
        survey = surveys.get(period)
        overview.append(
            MonthOverview(
                period=period,
                survey=survey,
                correction=corrections.get(survey.pk) if survey else None,
            )
        )
    return overview


@dataclass
class FamilyStipendTotals:
    currency: str
    paid: Decimal
    waiting: Decimal  # earned and not paid yet: accrued, scheduled, or a failed payment


def family_stipend_totals(family: Family) -> FamilyStipendTotals:
    """What the family was paid and what it is still owed, in one query."""
    owed = (Stipend.Status.ACCRUED, Stipend.Status.SCHEDULED, Stipend.Status.FAILED)
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    totals = Stipend.objects.filter(partner=family.partner_id, family=family).aggregate(
        paid=Coalesce(Sum("amount", filter=Q(status=Stipend.Status.FULFILLED)), zero),
        waiting=Coalesce(Sum("amount", filter=Q(status__in=owed)), zero),
    )
    return FamilyStipendTotals(
        currency=family.partner.currency,
        paid=Decimal(totals["paid"]).quantize(Decimal("0.01")),
        waiting=Decimal(totals["waiting"]).quantize(Decimal("0.01")),
    )


# The API: one list across every partner a person works for -------------------------------------


def _cohorts_visible_to_seats(seats: list[policy.Seat], capability: str) -> QuerySet[Cohort]:
    """The cohorts these seats may see (policy.can_view_cohort, as one query), counting only
    the seats whose role has `capability`."""
    visible = Q(pk__in=[])
    for seat in seats:
        if not seat.can(capability):
            continue
        if seat.can("cohort.view_all"):
            visible |= Q(partner=seat.partner)
        elif seat.can("cohort.view_assigned"):
            visible |= Q(partner=seat.partner, liaisons=seat.user)
    return Cohort.objects.filter(visible)


def surveys_for_seats(
    seats: list[policy.Seat],
    *,
    cohort: Cohort | None = None,
    period: datetime.date | None = None,
    state: str | None = None,
) -> QuerySet[SurveyResponse]:
    """Sent surveys of every cohort these seats may see (drafts stay the family's), in every
    state unless `state` is given; the newest month first."""
    cohorts = _cohorts_visible_to_seats(seats, "survey.view").values("pk")
    surveys = (
        SurveyResponse.objects.filter(
            partner__in=[seat.partner for seat in seats], cohort__in=cohorts
        )
        .exclude(state=SurveyResponse.State.DRAFT)
        .select_related("partner", "family", "cohort")
    )
    if cohort is not None:
        surveys = surveys.filter(cohort=cohort)
    if period is not None:
        surveys = surveys.filter(period=period)
    if state:
        surveys = surveys.filter(state=state)
    return surveys.order_by("-period", "family__name", "pk")


def stories_for_seats(
    seats: list[policy.Seat], *, cohort: Cohort | None = None, state: str | None = None
) -> QuerySet[Story]:
    """Every story of the cohorts these seats may see (staff read all visibilities: "the
    partner's staff only" is one of them), the newest first."""
    cohorts = _cohorts_visible_to_seats(seats, "survey.view").values("pk")
    stories = (
        Story.objects.filter(partner__in=[seat.partner for seat in seats], cohort__in=cohorts)
        .select_related("family")
        .prefetch_related("photos")
    )
    if cohort is not None:
        stories = stories.filter(cohort=cohort)
    if state:
        stories = stories.filter(state=state)
    return stories.order_by("-created_at", "-pk")


def stories_for_family(seat: FamilySeat) -> QuerySet[Story]:
    """The stories of its partner a family may read, as one query: its own, and its cohort's
    shared with the cohort, made public, or shared with its group. The same rule as
    `policy.family_can_read_story` (public stories of other partners belong to the public
    gallery, not to a family's list)."""
    family = seat.family
    shared = Q(cohort=family.cohort_id) & (
        Q(visibility__in=[Story.Visibility.COHORT, Story.Visibility.PUBLIC])
        | Q(visibility=Story.Visibility.GROUP, family__group=family.group_id)
    )
    return (
        Story.objects.filter(partner=family.partner_id)
        .filter(Q(family=family) | shared)
        .select_related("family")
        .prefetch_related("photos")
        .order_by("-created_at", "-pk")
    )


def stipends_for_seats(seats: list[policy.Seat], *, status: str | None = None) -> QuerySet[Stipend]:
    """Stipends of every partner where the seat may manage payments, the newest first."""
    partners = [seat.partner for seat in seats if seat.can("payments.manage")]
    stipends = Stipend.objects.filter(partner__in=partners).select_related("family", "survey")
    if status:
        stipends = stipends.filter(status=status)
    return stipends.order_by("-created_at", "-pk")


def survey_reviews(survey: SurveyResponse) -> QuerySet:
    """Each verification event of a survey, the first first, with its reviewer."""
    return (
        survey.reviews.filter(partner=survey.partner_id)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    )


def family_action_reports(seat: FamilySeat) -> QuerySet[ActionReport]:
    """The practices the family reported in its surveys, the latest month first."""
    family = seat.family
    return (
        ActionReport.objects.filter(partner=family.partner_id, family=family)
        .select_related("practice")
        .order_by("-period", "practice__slug", "pk")
    )
