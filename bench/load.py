"""A large, realistic load for the jobs that read verified surveys (trends, diffusion).

`generate(partners=P, families=N, months=M)` creates P partners (countries and currencies in
turn: US/USD, LR/LRD, MX/MXN, KE/KES), N households PER PARTNER in cohorts of about 100 and
groups of about 10 (a seed and its friends), M months of verified surveys for every household,
the practices they reported (ActionReport rows, as the survey services make them) and a few
family and group ventures with monthly updates and jobs. The same seed gives the same rows.

Rows go straight to the tables: COPY on PostgreSQL (100,000 households x 24 months in a few
minutes), batched inserts on SQLite. The load holds what the jobs read, not the paper trail of
real use (no users, reviews, revisions, stipends or audit events). Generated partners have
slugs starting with "load-"; `reset()` deletes them and everything that belongs to them.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Partner
from families.models import Cohort, Family, Group
from surveys.models import ActionReport, SurveyResponse
from surveys.services.templates import default_template, ensure_default_practices
from ventures.models import ExchangeRate, Venture, VentureUpdate

SLUG_PREFIX = "load-"

# (country, currency, language, time zone, a household's typical monthly income in whole units
# of the currency, approximate US dollars per unit, months in the baseline)
PARTNER_KINDS = [
    ("US", "USD", "en", "America/Los_Angeles", 2600, Decimal("1"), 1),
    ("LR", "LRD", "en", "Africa/Monrovia", 28000, Decimal("0.0052"), 1),
    ("MX", "MXN", "es", "America/Mexico_City", 11000, Decimal("0.058"), 3),
    ("KE", "KES", "en", "Africa/Nairobi", 24000, Decimal("0.0077"), 1),
]

# The default catalogue's practices with how likely a household is to take each up within two
# years, so that some spread widely and others stay rare.
PRACTICE_UPTAKE = [
    ("savings-circle", 0.45),
    ("opened-savings-account", 0.35),
    ("paid-down-high-cost-debt", 0.2),
    ("job-through-peer", 0.2),
    ("took-training", 0.25),
    ("shared-childcare", 0.15),
    ("tutoring-circle", 0.12),
    ("started-business", 0.08),
    ("expanded-business", 0.06),
    ("home-improvement", 0.1),
]

SECTORS = [choice for choice, _label in Venture.Sector.choices]
BATCH = 5000


@dataclass
class LoadSummary:
    partners: int = 0
    cohorts: int = 0
    groups: int = 0
    families: int = 0
    surveys: int = 0
    action_reports: int = 0
    ventures: int = 0
    venture_updates: int = 0
    first_period: datetime.date | None = None
    last_period: datetime.date | None = None
    seconds: float = 0.0
    partner_slugs: list[str] = field(default_factory=list)


def month_periods(months: int, last: datetime.date | None = None) -> list[datetime.date]:
    """First-of-month dates of `months` months ending with `last` (default: last month)."""
    if last is None:
        today = timezone.localdate()
        last = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    index = last.year * 12 + last.month - 1
    return [
        datetime.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(months - 1, -1, -1)
    ]


def existing_load_partners() -> list[Partner]:
    return list(Partner.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))


# Writing rows ----------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _sqlite_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class TableWriter:
    """Rows of one model: the caller gives some columns, every other column gets the model's
    default (now for auto_now fields), so the rows are what the ORM would have written."""

    def __init__(self, model, columns: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        self.columns = list(columns)
        now = timezone.now()
        fixed = {}
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key or model_field.column in self.columns:
                continue
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                value = now
            else:
                value = model_field.get_default()
            if value is None and not model_field.null:
                raise ValueError(f"{self.table}.{model_field.column} needs a value")
            fixed[model_field.column] = value
        self.all_columns = self.columns + list(fixed)
        self.fixed_values = tuple(fixed.values())
        self.fixed_text = "".join("\t" + _copy_text(v) for v in self.fixed_values)
        self.postgres = connection.vendor == "postgresql"

    def _copy_sql(self) -> str:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.all_columns)
        return f"COPY {quote(self.table)} ({names}) FROM STDIN"

    def write(self, rows: Iterable[Sequence]) -> int:
        """Rows as tuples of Python values in the order of `columns`."""
        if self.postgres:
            return self.write_lines(
                "\t".join(map(_copy_text, row)) + self.fixed_text + "\n" for row in rows
            )
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.all_columns)
        marks = ", ".join(["%s"] * len(self.all_columns))
        sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"
        fixed = tuple(_sqlite_value(v) for v in self.fixed_values)
        count = 0
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row) + fixed)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def write_lines(self, lines: Iterable[str]) -> int:
        """PostgreSQL only: lines already in COPY text format, the fixed columns included."""
        count = 0
        chunk: list[str] = []
        with connection.cursor() as cursor, cursor.cursor.copy(self._copy_sql()) as copy:
            for line in lines:
                chunk.append(line)
                if len(chunk) >= BATCH:
                    copy.write("".join(chunk))
                    count += len(chunk)
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
                count += len(chunk)
        return count


def _ids(model, **filters) -> list[int]:
    """Ids of freshly written rows, in the order they were written (ids grow)."""
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


# Households' months ----------------------------------------------------------------------------


def _share(rng: random.Random, scale: int, low: int, high: int) -> int:
    """A whole amount between low% and high% of scale."""
    return scale * (low + int(rng.random() * (high - low + 1))) // 100


def _practice_months(rng: random.Random, months: int) -> dict[int, list[str]]:
    """Months (indexes) in which a household reports each practice it takes up: adoption
    follows an S-curve in time, and some repeat it later."""
    by_month: dict[int, list[str]] = {}
    horizon = max(months, 1)
    for slug, uptake in PRACTICE_UPTAKE:
        if rng.random() >= uptake * min(1.0, months / 24 + 0.25):
            continue
        # Logistic around the middle of the period: few early adopters, a rush, stragglers.
        u = min(max(rng.random(), 1e-6), 1 - 1e-6)
        month = int(horizon / 2 + math.log(u / (1 - u)) * horizon / 8)
        if not 0 <= month < months:
            continue
        by_month.setdefault(month, []).append(slug)
        for later in range(month + 1, months):
            if rng.random() < 0.08:
                by_month.setdefault(later, []).append(slug)
    return by_month


def household_answers(rng: random.Random, scale: int, ceiling: int, months: int) -> list[str]:
    """One household's M months of answers as JSON texts, as the survey services clean them
    (money as decimal strings, numbers as integers, practices as a sorted list of slugs).

    Amounts are whole units computed with integers. Trends are not flat: incomes drift up for
    most households and down for some, a few lose a job or start a business, savings and debts
    move, and some households start from zero income or zero savings (so a percent change
    against their baseline is undefined)."""
    drift = int(rng.random() * 70) - 25  # per mille a month: about a third drift down
    zero_start = rng.random() < 0.03
    wages = 0 if zero_start or rng.random() >= 0.7 else _share(rng, scale, 40, 120)
    business = 0 if zero_start or rng.random() >= 0.25 else _share(rng, scale, 10, 60)
    business_from = int(rng.random() * months) if not business and rng.random() < 0.08 else -1
    # Households without earnings more often draw benefits.
    benefits_odds = 0.35 if wages or business else 0.7
    benefits = 0 if zero_start or rng.random() >= benefits_odds else _share(rng, scale, 5, 25)
    other = 0 if zero_start or rng.random() >= 0.2 else _share(rng, scale, 2, 15)
    job_lost_from = int(rng.random() * months) if wages and rng.random() < 0.06 else -1
    job_lost_for = 1 + int(rng.random() * 4)
    late_job = int(rng.random() * months) if zero_start and rng.random() < 0.6 else -1
    savings = 0 if rng.random() < 0.45 else _share(rng, scale, 0, 200)
    save_rate = int(rng.random() * 80)  # per mille of income put aside
    debt_formal = 0 if rng.random() >= 0.35 else _share(rng, scale, 50, 600)
    debt_high = 0 if rng.random() >= 0.2 else _share(rng, scale, 10, 100)
    high_paid_from = int(rng.random() * months) if debt_high and rng.random() < 0.4 else -1
    children = int(rng.random() * 4)
    insured = rng.random() < 0.6
    housing = ("own", "rent", "rent", "rent", "shared", "unstable")[int(rng.random() * 6)]
    confidence = 2 + int(rng.random() * 3)
    helper = rng.random() < 0.4
    practices = _practice_months(rng, months)

    out = []
    for month in range(months):
        noise = int(rng.random() * 120) - 60
        if month:
            wages = wages * (1000 + drift + noise) // 1000
            business = business * (1000 + drift + noise // 2) // 1000
            savings = max(0, savings + (wages + business) * save_rate // 1000)
            if rng.random() < 0.1:
                savings = savings * (50 + int(rng.random() * 50)) // 100  # an emergency
            debt_formal = max(0, debt_formal - scale * 3 // 100)
            if rng.random() < 0.01:
                debt_formal += _share(rng, scale, 50, 300)
            debt_high = max(0, debt_high + int(rng.random() * scale // 20) - scale // 50)
        if month == late_job:
            wages = _share(rng, scale, 40, 90)
        if month == business_from:
            business = _share(rng, scale, 10, 40)
        out_of_work = 0 <= job_lost_from <= month < job_lost_from + job_lost_for
        earned = 0 if out_of_work else wages
        if month == high_paid_from:
            debt_high = 0
            high_paid_from = -1
        income_other = None if rng.random() < 0.1 else other * int(rng.random() * 2)
        given = int(rng.random() * 4) if helper else int(rng.random() * 1.3)
        received = int(rng.random() * 2.5)
        working = (1 if earned else 0) + (1 if business else 0) + (1 if rng.random() < 0.1 else 0)
        grades = ("improved", "same", "same", "same", "worse")[int(rng.random() * 5)]
        if not children:
            grades = "n/a"
        if rng.random() < 0.15:
            confidence = min(5, max(1, confidence + (1 if drift + noise > 0 else -1)))
        slugs = practices.get(month)
        # No practice is stored as null, as the survey services store an empty answer.
        practice_list = (
            "[" + ",".join(f'"{slug}"' for slug in sorted(set(slugs))) + "]" if slugs else "null"
        )
        other_text = "null" if income_other is None else f'"{min(income_other, ceiling)}.00"'
        out.append(
            f'{{"income_wages":"{min(earned, ceiling)}.00",'
            f'"income_business":"{min(business, ceiling)}.00",'
            f'"income_benefits":"{min(benefits, ceiling)}.00",'
            f'"income_other":{other_text},'
            f'"savings_balance":"{min(savings, ceiling)}.00",'
            f'"debt_formal":"{min(debt_formal, ceiling)}.00",'
            f'"debt_high_cost":"{min(debt_high, ceiling)}.00",'
            f'"adults_working":{working},"children_in_school":{children},'
            f'"children_grades":"{grades}",'
            f'"health_insured":{"true" if insured else "false"},"housing":"{housing}",'
            f'"help_given_count":{given},'
            f'"help_given_value":"{given * scale // 100}.00",'
            f'"help_received_count":{received},'
            f'"help_received_value":"{received * scale // 80}.00",'
            f'"confidence_future":"{confidence}","practices":{practice_list}}}'
        )
    return out


# Generating ------------------------------------------------------------------------------------


def generate(
    *,
    partners: int,
    families: int,
    months: int,
    seed: int = 1,
    last_period: datetime.date | None = None,
    cohort_size: int = 100,
    group_size: int = 10,
    progress=None,
) -> LoadSummary:
    """P partners, N households per partner, M months of verified surveys each."""
    if partners < 1 or families < 1 or months < 1:
        raise ValueError("partners, families and months must be at least 1")
    if group_size < 2 or cohort_size < group_size:
        raise ValueError("a group needs a seed and a friend; a cohort at least one group")
    started = time.perf_counter()
    summary = LoadSummary()
    periods = month_periods(months, last_period)
    summary.first_period, summary.last_period = periods[0], periods[-1]
    ensure_default_practices()
    template = default_template()
    taken = {p.slug for p in existing_load_partners()}
    for index in range(partners):
        slug = f"{SLUG_PREFIX}{index + 1}"
        if slug in taken:
            raise ValueError(f"partner {slug} exists already: reset the load first")
        with transaction.atomic():
            _generate_partner(
                index=index,
                slug=slug,
                families=families,
                periods=periods,
                rng=random.Random(seed * 1_000_003 + index),
                template_id=template.pk,
                cohort_size=cohort_size,
                group_size=group_size,
                summary=summary,
            )
        summary.partner_slugs.append(slug)
        if progress:
            progress(f"{slug}: {summary.families} households, {summary.surveys} surveys so far")
    summary.partners = partners
    summary.seconds = time.perf_counter() - started
    return summary


def _generate_partner(
    *,
    index: int,
    slug: str,
    families: int,
    periods: list[datetime.date],
    rng: random.Random,
    template_id: int,
    cohort_size: int,
    group_size: int,
    summary: LoadSummary,
) -> None:
    country, currency, language, tz, scale, usd_per_unit, baseline_months = PARTNER_KINDS[
        index % len(PARTNER_KINDS)
    ]
    partner = Partner.objects.create(
        name=f"Load partner {index + 1} ({country})",
        slug=slug,
        country=country,
        currency=currency,
        languages=[language],
        timezone=tz,
        baseline_months=baseline_months,
    )
    ExchangeRate.objects.get_or_create(currency=currency, defaults={"usd_per_unit": usd_per_unit})
    ceiling = int(partner.survey_money_ceiling) - 1

    # Cohorts of about `cohort_size`, each in groups of about `group_size`.
    sizes = [cohort_size] * (families // cohort_size)
    if families % cohort_size:
        sizes.append(families % cohort_size)
    TableWriter(Cohort, ["partner_id", "name", "region", "started_on"]).write(
        (partner.pk, f"Cohort {c + 1}", f"Area {c % 37 + 1}", periods[0]) for c in range(len(sizes))
    )
    cohort_ids = _ids(Cohort, partner=partner)
    group_plan = []  # (cohort id, group size)
    for cohort_id, size in zip(cohort_ids, sizes, strict=True):
        group_plan += [
            (cohort_id, min(group_size, size - start)) for start in range(0, size, group_size)
        ]
    TableWriter(Group, ["partner_id", "cohort_id", "name"]).write(
        (partner.pk, cohort_id, f"Group {g + 1}") for g, (cohort_id, _size) in enumerate(group_plan)
    )
    group_ids = _ids(Group, partner=partner)

    # Households: the seeds first (their friends point at them), then the friends.
    family_columns = [
        "partner_id",
        "cohort_id",
        "group_id",
        "name",
        "is_seed",
        "invited_by_id",
        "generation",
        "household_size",
        "contact_email",
        "contact_phone",
    ]
    writer = TableWriter(Family, family_columns)

    def household(number: int, cohort_id, group_id, seed_id):
        contact = rng.random()
        email = f"household{number}@{slug}.example" if contact >= 0.7 else ""
        phone = f"+1510{200 + index % 800:03d}{number % 10000:04d}" if contact < 0.9 else ""
        size = 1 + int(rng.random() * rng.random() * 9)
        name = f"Household {index + 1}-{number}"
        generation = 0 if seed_id is None else 1
        is_seed = seed_id is None
        row = (partner.pk, cohort_id, group_id, name, is_seed, seed_id, generation, size)
        return (*row, email, phone)

    writer.write(
        household(g * group_size, cohort_id, group_id, None)
        for g, ((cohort_id, _size), group_id) in enumerate(zip(group_plan, group_ids, strict=True))
    )
    seed_ids = _ids(Family, partner=partner)
    writer.write(
        household(g * group_size + f, cohort_id, group_id, seed_id)
        for g, ((cohort_id, size), group_id, seed_id) in enumerate(
            zip(group_plan, group_ids, seed_ids, strict=True)
        )
        for f in range(1, size)
    )
    rows = list(
        Family.objects.filter(partner=partner)
        .order_by("pk")
        .values_list("pk", "cohort_id", "group_id")
    )
    summary.cohorts += len(cohort_ids)
    summary.groups += len(group_ids)
    summary.families += len(rows)

    summary.surveys += _write_surveys(partner, rows, periods, template_id, rng, scale, ceiling)
    summary.action_reports += _write_action_reports(partner)
    ventures, updates = _write_ventures(partner, rows, periods, rng, scale)
    summary.ventures += ventures
    summary.venture_updates += updates


def _survey_times(periods: list[datetime.date]) -> list[list[tuple]]:
    """For each month, a few (created, submitted, verified) times early in the next month."""
    times = []
    for period in periods:
        next_month = (period + datetime.timedelta(days=32)).replace(day=1)
        month_times = []
        for variant in range(8):
            created = datetime.datetime.combine(
                next_month + datetime.timedelta(days=variant % 4),
                datetime.time(9 + variant, 15),
                tzinfo=datetime.UTC,
            )
            verified = created + datetime.timedelta(days=1 + variant % 3, hours=2)
            month_times.append((created, created, verified))
        times.append(month_times)
    return times


def _write_surveys(partner, households, periods, template_id, rng, scale, ceiling) -> int:
    writer = TableWriter(
        SurveyResponse,
        [
            "partner_id",
            "cohort_id",
            "family_id",
            "template_id",
            "period",
            "answers",
            "state",
            "flags",
            "created_at",
            "updated_at",
            "submitted_at",
            "verified_at",
        ],
    )
    times = _survey_times(periods)
    months = len(periods)
    verified = SurveyResponse.State.VERIFIED.value

    def answered():
        for position, (family_id, cohort_id, _group_id) in enumerate(households):
            answers = household_answers(rng, scale, ceiling, months)
            for month in range(months):
                yield family_id, cohort_id, month, answers[month], position % len(times[0])

    if writer.postgres:
        # The hot path: 2.4 million lines for 100,000 households, formatted once.
        period_text = [p.isoformat() for p in periods]
        time_text = [[tuple(t.isoformat() for t in v) for v in month] for month in times]
        head = f"{partner.pk}\t"
        middle = f"\t{template_id}\t"
        tail = f"\t{verified}\t[]\t"

        def lines():
            for family_id, cohort_id, month, answers, variant in answered():
                created, submitted, checked = time_text[month][variant]
                yield (
                    f"{head}{cohort_id}\t{family_id}{middle}{period_text[month]}\t{answers}"
                    f"{tail}{created}\t{checked}\t{submitted}\t{checked}{writer.fixed_text}\n"
                )

        return writer.write_lines(lines())

    def rows():
        for family_id, cohort_id, month, answers, variant in answered():
            created, submitted, checked = times[month][variant]
            yield (
                partner.pk,
                cohort_id,
                family_id,
                template_id,
                periods[month],
                answers,
                verified,
                [],
                created,
                checked,
                submitted,
                checked,
            )

    return writer.write(rows())


def _write_action_reports(partner) -> int:
    """One report per practice in each survey's answers, as the survey services make them."""
    writer = TableWriter(
        ActionReport, ["partner_id", "cohort_id", "family_id", "practice_id", "period", "survey_id"]
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in writer.all_columns)
    fixed = ", ".join(["%s"] * len(writer.fixed_values))
    if connection.vendor == "postgresql":
        practices = "CROSS JOIN LATERAL jsonb_array_elements_text(s.answers -> 'practices') AS j"
        is_list = "jsonb_typeof(s.answers -> 'practices') = 'array'"
    else:
        practices = "CROSS JOIN json_each(s.answers, '$.practices') AS j"
        is_list = "json_type(s.answers, '$.practices') = 'array'"
    sql = f"""
        INSERT INTO {quote(writer.table)} ({names})
        SELECT s.partner_id, s.cohort_id, s.family_id, p.id, s.period, s.id, {fixed}
        FROM {quote(SurveyResponse._meta.db_table)} s
        {practices}
        JOIN surveys_practice p ON p.slug = j.value AND p.partner_id IS NULL
        WHERE s.partner_id = %s AND {is_list}
    """
    fixed_values = [
        v if connection.vendor == "postgresql" else _sqlite_value(v) for v in writer.fixed_values
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fixed_values, partner.pk])
        return cursor.rowcount


def _write_ventures(partner, households, periods, rng, scale) -> tuple[int, int]:
    """A collective venture in about a quarter of the groups, a family venture in about one
    household in 25; each reports every month from its start, with jobs growing slowly."""
    by_group: dict[int, list[tuple[int, int]]] = {}
    for family_id, cohort_id, group_id in households:
        by_group.setdefault(group_id, []).append((family_id, cohort_id))
    plans = []  # (cohort id, group id or None, owner family ids, start month index)
    for group_id, members in by_group.items():
        if rng.random() < 0.25:
            plans.append((members[0][1], group_id, [f for f, _c in members], rng.random()))
        for family_id, cohort_id in members:
            if rng.random() < 0.04:
                plans.append((cohort_id, None, [family_id], rng.random()))
    if not plans:
        return 0, 0
    months = len(periods)
    TableWriter(
        Venture,
        [
            "partner_id",
            "cohort_id",
            "group_id",
            "name",
            "kind",
            "sector",
            "description",
            "started_on",
        ],
    ).write(
        (
            partner.pk,
            cohort_id,
            group_id,
            f"Venture {n + 1}",
            "new" if n % 3 else "expansion",
            SECTORS[n % len(SECTORS)],
            "A collective venture of the group." if group_id else "A household's venture.",
            periods[int(start * months)],
        )
        for n, (cohort_id, group_id, _owners, start) in enumerate(plans)
    )
    venture_ids = _ids(Venture, partner=partner)
    owners = Venture.owners.through
    TableWriter(owners, ["venture_id", "family_id"]).write(
        (venture_id, family_id)
        for venture_id, (_c, _g, owner_ids, _s) in zip(venture_ids, plans, strict=True)
        for family_id in owner_ids
    )

    def updates():
        for venture_id, (_c, group_id, _owners, start) in zip(venture_ids, plans, strict=True):
            first = int(start * months)
            household_jobs = 2 if group_id else 1
            other_jobs = 0
            revenue = _share(rng, scale, 20, 150)
            for month in range(first, months):
                if rng.random() < 0.12:
                    other_jobs += 1
                elif other_jobs and rng.random() < 0.04:
                    other_jobs -= 1
                revenue = revenue * (1000 + int(rng.random() * 120) - 40) // 1000
                costs = revenue * (50 + int(rng.random() * 45)) // 100
                yield (
                    partner.pk,
                    venture_id,
                    periods[month],
                    Decimal(revenue),
                    Decimal(costs),
                    household_jobs,
                    other_jobs,
                )

    written = TableWriter(
        VentureUpdate,
        ["partner_id", "venture_id", "period", "revenue", "costs", "household_jobs", "other_jobs"],
    ).write(updates())
    return len(venture_ids), written


# Resetting -------------------------------------------------------------------------------------


def _partner_field(model):
    for model_field in model._meta.concrete_fields:
        if (
            model_field.name == "partner"
            and model_field.is_relation
            and model_field.related_model is Partner
        ):
            return model_field
    return None


@transaction.atomic
def reset() -> int:
    """Delete every generated partner ("load-..." slugs) with all its rows; returns how many
    partners. Plain DELETE statements (the ORM would load millions of rows to cascade): first
    rows that point at a partner's rows without a partner column of their own (many-to-many
    links, a template's questions), then every table with a partner column, then the partners.
    Foreign keys are checked at commit, so the order within each step does not matter."""
    ids = [p.pk for p in existing_load_partners()]
    if not ids:
        return 0
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    models = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    scoped = {m: _partner_field(m) for m in models}
    scoped = {m: f for m, f in scoped.items() if f is not None}
    with connection.cursor() as cursor:
        for model in models:
            if model in scoped or model is Partner:
                continue
            table = quote(model._meta.db_table)
            for model_field in model._meta.concrete_fields:
                target = model_field.related_model if model_field.is_relation else None
                if target is Partner:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE {quote(model_field.column)} IN ({marks})", ids
                    )
                elif target in scoped:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE {quote(model_field.column)}"
                        f" IN (SELECT {quote(target._meta.pk.column)} FROM"
                        f" {quote(target._meta.db_table)} WHERE {quote(scoped[target].column)}"
                        f" IN ({marks}))",
                        ids,
                    )
        for model, partner_field in scoped.items():
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)}"
                f" WHERE {quote(partner_field.column)} IN ({marks})",
                ids,
            )
        cursor.execute(
            f"DELETE FROM {quote(Partner._meta.db_table)} WHERE {quote('id')} IN ({marks})", ids
        )
    return len(ids)
