"""Everyday Changemaker candidates: the monthly scoring of families, groups and ventures.

`candidates_compute(partner_id, period)` scores one partner's month from verified data only and
keeps the reasons behind each score. It reads a fixed number of queries into dicts, whatever the
number of families, and never reads survey answers: verified months come from `FamilyMonth`
(written from verified surveys only), practices from action reports of verified surveys, help
from exchanges the other family confirmed, stories once verified, and funding from pledges
(whose money movements staff record). Ventures' own monthly updates are not verified: unused.

Points (each reason carries its points; a score is their sum):

Families, scored only in a month they have a verified survey for (a `FamilyMonth` row):
- income_up: income vs the baseline, when the family is better off (`improved`): 10 from +10%,
  20 from +25%, 30 from +50%.
- net_up: savings minus debt vs the baseline, likewise: 10 / 15 / 20.
- help_across_groups: 5 per family of another group it helped (confirmed help, last 3 months),
  at most 20.
- practice_followed: a practice the family first reported in a verified survey, that families
  of its cohort tied to it (any Tie) first reported later, within the last 3 months: 5 per
  such family, at most 25 over all its practices. A Tie is required: adoption by a family with
  no relationship to this one is no sign that it followed this one.
- stories: 5 per verified story of the last 3 months (any visibility: staff only count them),
  at most 15.
- group_venture: 10 for owning part of a collective (group) venture.

Groups, scored in a month at least one of their families has a verified survey for:
- group_improved (3 verified families or more): share better off than at their baseline:
  10 from 25%, 20 from 50%, 30 from 75%.
- group_ventures: 10 per collective venture, at most 20.
- group_help_across_groups: 3 per family of another group its families helped, at most 20.
- group_stories: 3 per verified story of its families (last 3 months), at most 15.

Ventures, scored in a month at least one owner has a verified survey for:
- collective: 15 for a group's venture.
- owners_business_up: the owners' business income vs their baseline months (the partner's
  baseline rule), 10 / 20 / 30 as for income; when there was no business income at the
  baseline, owners_income_up: their total income vs the baseline, same bands.
- funding_pledged: 10 when funders pledged in the last 3 months (still standing).
- funding_received: 15 when staff recorded pledged money as received in the last 3 months.

A candidate needs MIN_SCORE points or more; at most TOP_PER_COHORT_AND_KIND per cohort and kind
surface, highest score first (the smaller id first on a tie). Subjects staff already acted on
for the month (dismissed or nominated) are left as they are and take no place in that count, so
staff always have the next ones to look at. A subject nominated in another month is not
surfaced again: from there on the feature and the family's consent decide (a family that
declines is not asked again).

Re-running a month updates the candidates still surfaced, adds new ones, removes surfaced ones
that no longer qualify, and never touches or re-creates what staff decided: running it twice
leaves the same rows.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Partner
from changemakers.models import Candidate, FamilyMonth
from changemakers.selectors import candidates as codes
from families.models import Family, Group, HelpExchange, Tie
from surveys.models import ActionReport, Practice, Story, SurveyResponse
from ventures.models import Pledge, Venture

MIN_SCORE = 25
TOP_PER_COHORT_AND_KIND = 5
WINDOW_MONTHS = 3  # help, stories, followers and funding: the scored month and the two before

# (lowest percent, points), highest band first
INCOME_BANDS = [(50, 30), (25, 20), (10, 10)]
NET_BANDS = [(50, 20), (25, 15), (10, 10)]
SHARE_IMPROVED_BANDS = [(75, 30), (50, 20), (25, 10)]
BUSINESS_BANDS = INCOME_BANDS

HELP_POINTS, HELP_CAP = 5, 20
FOLLOWER_POINTS, FOLLOWER_CAP, PRACTICE_REASONS = 5, 25, 3
STORY_POINTS, STORY_CAP = 5, 15
GROUP_VENTURE_POINTS = 10
GROUP_MIN_FAMILIES = 3
GROUP_VENTURE_EACH, GROUP_VENTURE_CAP = 10, 20
GROUP_HELP_POINTS, GROUP_HELP_CAP = 3, 20
GROUP_STORY_POINTS, GROUP_STORY_CAP = 3, 15
COLLECTIVE_POINTS = 15
PLEDGED_POINTS, RECEIVED_POINTS = 10, 15

STANDING_PLEDGES = [Pledge.Status.PLEDGED, Pledge.Status.RECEIVED, Pledge.Status.FULFILLED]
RECEIVED_PLEDGES = [Pledge.Status.RECEIVED, Pledge.Status.FULFILLED]
FAMILY, GROUP, VENTURE = (kind.value for kind in Candidate.Kind)


@dataclass
class Scored:
    kind: str
    subject_id: int
    cohort_id: int
    reasons: list[dict] = field(default_factory=list)

    @property
    def subject_key(self) -> str:
        return f"{self.kind}:{self.subject_id}"

    @property
    def score(self) -> int:
        return sum(reason["points"] for reason in self.reasons)

    def add(self, code: str, points: int, **values) -> None:
        if points > 0:
            self.reasons.append({"code": code, "points": int(points), "values": values})


# Months ---------------------------------------------------------------------------------------


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _moment(day: datetime.date, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def _percent(value) -> int:
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _band(percent: int, bands) -> int:
    for lowest, points in bands:
        if percent >= lowest:
            return points
    return 0


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


# Reading the month ----------------------------------------------------------------------------


@dataclass
class Month:
    """Everything one partner's month is scored on, read once."""

    partner: Partner
    period: datetime.date
    start: datetime.date  # first day of the window
    end: datetime.date  # first day after the scored month
    start_at: datetime.datetime
    end_at: datetime.datetime
    family_group: dict[int, int | None]
    family_cohort: dict[int, int]
    months: dict[int, dict]  # family id -> its FamilyMonth values for the period
    help_given: dict[int, set[int]]  # giver -> receivers of other groups
    help_exchanges: dict[int, int]  # giver -> confirmed exchanges across groups
    stories: dict[int, int]  # family -> verified stories in the window
    collective_ventures_of_family: dict[int, int]
    ventures: dict[int, dict]  # venture id -> {"cohort", "group", "owners"}


def _read_month(partner: Partner, period: datetime.date) -> Month:
    zone = zoneinfo.ZoneInfo(partner.timezone or "UTC")
    start, end = _add_months(period, -(WINDOW_MONTHS - 1)), _add_months(period, 1)
    families = Family.objects.filter(partner=partner).values_list("pk", "group_id", "cohort_id")
    family_group, family_cohort = {}, {}
    for family_id, group_id, cohort_id in families:
        family_group[family_id] = group_id
        family_cohort[family_id] = cohort_id

    months = {
        row["family_id"]: row
        for row in FamilyMonth.objects.filter(partner=partner, period=period)
        .annotate(group_or_current=Coalesce("group_id", "family__group_id"))
        .values(
            "family_id",
            "cohort_id",
            "group_or_current",
            "improved",
            "income_change",
            "income_change_pct",
            "net_change_pct",
            "baseline_income",
            "income_business",
        )
    }

    help_given: dict[int, set[int]] = defaultdict(set)
    help_exchanges: dict[int, int] = defaultdict(int)
    exchanges = HelpExchange.objects.filter(
        partner=partner,
        confirmed_at__isnull=False,
        happened_on__gte=start,
        happened_on__lt=end,
        giver__group__isnull=False,
        receiver__group__isnull=False,
    ).values_list("giver_id", "receiver_id")
    for giver, receiver in exchanges:
        if family_group.get(giver) != family_group.get(receiver):
            help_given[giver].add(receiver)
            help_exchanges[giver] += 1

    stories: dict[int, int] = defaultdict(int)
    for family_id in Story.objects.filter(
        partner=partner,
        state=Story.State.VERIFIED,
        created_at__gte=_moment(start, zone),
        created_at__lt=_moment(end, zone),
    ).values_list("family_id", flat=True):
        stories[family_id] += 1

    ventures: dict[int, dict] = {}
    collective_of_family: dict[int, int] = defaultdict(int)
    owner_rows = Venture.owners.through.objects.filter(
        venture__partner=partner, venture__created_at__lt=_moment(end, zone)
    ).values_list("venture_id", "venture__cohort_id", "venture__group_id", "family_id")
    for venture_id, cohort_id, group_id, family_id in owner_rows:
        venture = ventures.setdefault(
            venture_id, {"cohort": cohort_id, "group": group_id, "owners": set()}
        )
        venture["owners"].add(family_id)
        if group_id is not None:
            collective_of_family[family_id] += 1

    return Month(
        partner=partner,
        period=period,
        start=start,
        end=end,
        start_at=_moment(start, zone),
        end_at=_moment(end, zone),
        family_group=family_group,
        family_cohort=family_cohort,
        months=months,
        help_given=help_given,
        help_exchanges=help_exchanges,
        stories=stories,
        collective_ventures_of_family=collective_of_family,
        ventures=ventures,
    )


def _followers(month: Month) -> dict[int, list[tuple[int, int]]]:
    """leader family -> [(practice id, followers)]: families of the same cohort, tied to the
    leader, whose first verified report of the practice came later than the leader's and in
    the window."""
    first_reports = (
        ActionReport.objects.filter(
            partner=month.partner,
            survey__state=SurveyResponse.State.VERIFIED,
            survey__partner=month.partner,
            period__lt=month.end,
        )
        .values("cohort_id", "practice_id", "family_id")
        .annotate(first=Min("period"))
    )
    by_practice: dict[tuple[int, int], list[tuple[int, datetime.date]]] = defaultdict(list)
    for row in first_reports:
        by_practice[(row["cohort_id"], row["practice_id"])].append((row["family_id"], row["first"]))
    if not by_practice:
        return {}
    ties: set[tuple[int, int]] = set(
        Tie.objects.filter(partner=month.partner).values_list("family_low_id", "family_high_id")
    )

    def tied(one: int, other: int) -> bool:
        return (min(one, other), max(one, other)) in ties

    followed: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (_cohort, practice_id), firsts in by_practice.items():
        recent = [(family, first) for family, first in firsts if first >= month.start]
        if not recent:
            continue
        for leader, leader_first in firsts:
            count = sum(
                1 for follower, first in recent if first > leader_first and tied(leader, follower)
            )
            if count:
                followed[leader].append((practice_id, count))
    return followed


# Scoring --------------------------------------------------------------------------------------


def _score_families(month: Month) -> list[Scored]:
    followed = _followers(month)
    practice_ids = {practice for pairs in followed.values() for practice, _count in pairs}
    practices = {practice.pk: practice for practice in Practice.objects.filter(pk__in=practice_ids)}
    scored = []
    for family_id, row in month.months.items():
        candidate = Scored(FAMILY, family_id, row["cohort_id"])
        if row["improved"]:
            income_pct = row["income_change_pct"]
            if income_pct is not None and income_pct > 0:
                percent = _percent(income_pct)
                candidate.add(
                    codes.FAMILY_INCOME_UP, _band(percent, INCOME_BANDS), percent=str(percent)
                )
            net_pct = row["net_change_pct"]
            if net_pct is not None and net_pct > 0:
                percent = _percent(net_pct)
                candidate.add(codes.FAMILY_NET_UP, _band(percent, NET_BANDS), percent=str(percent))
        helped = month.help_given.get(family_id, set())
        if helped:
            candidate.add(
                codes.FAMILY_HELP_ACROSS_GROUPS,
                min(HELP_POINTS * len(helped), HELP_CAP),
                families=len(helped),
                exchanges=month.help_exchanges[family_id],
            )
        remaining = FOLLOWER_CAP
        leading = sorted(followed.get(family_id, []), key=lambda pair: (-pair[1], pair[0]))
        for practice_id, count in leading[:PRACTICE_REASONS]:
            points = min(FOLLOWER_POINTS * count, remaining)
            remaining -= points
            practice = practices[practice_id]
            candidate.add(
                codes.FAMILY_PRACTICE_FOLLOWED,
                points,
                families=count,
                practice=practice.slug,
                practice_names={str(k): str(v) for k, v in (practice.names or {}).items()},
            )
        stories = month.stories.get(family_id, 0)
        if stories:
            candidate.add(
                codes.FAMILY_STORIES, min(STORY_POINTS * stories, STORY_CAP), stories=stories
            )
        collective = month.collective_ventures_of_family.get(family_id, 0)
        if collective:
            candidate.add(codes.FAMILY_GROUP_VENTURE, GROUP_VENTURE_POINTS, ventures=collective)
        scored.append(candidate)
    return scored


def _score_groups(month: Month) -> list[Scored]:
    verified: dict[int, list[dict]] = defaultdict(list)
    for row in month.months.values():
        if row["group_or_current"] is not None:
            verified[row["group_or_current"]].append(row)
    group_cohort = dict(
        Group.objects.filter(partner=month.partner, pk__in=list(verified)).values_list(
            "pk", "cohort_id"
        )
    )
    ventures_of_group: dict[int, int] = defaultdict(int)
    for venture in month.ventures.values():
        if venture["group"] is not None:
            ventures_of_group[venture["group"]] += 1
    members: dict[int, list[int]] = defaultdict(list)
    for family_id, group_id in month.family_group.items():
        if group_id is not None:
            members[group_id].append(family_id)

    scored = []
    for group_id, rows in verified.items():
        candidate = Scored(GROUP, group_id, group_cohort[group_id])
        if len(rows) >= GROUP_MIN_FAMILIES:
            improved = sum(1 for row in rows if row["improved"])
            percent = _percent(Decimal(100 * improved) / len(rows))
            candidate.add(
                codes.GROUP_IMPROVED,
                _band(percent, SHARE_IMPROVED_BANDS),
                improved=improved,
                families=len(rows),
                percent=str(percent),
            )
        ventures = ventures_of_group.get(group_id, 0)
        if ventures:
            candidate.add(
                codes.GROUP_VENTURES,
                min(GROUP_VENTURE_EACH * ventures, GROUP_VENTURE_CAP),
                ventures=ventures,
            )
        helped = set().union(*(month.help_given.get(f, set()) for f in members[group_id]))
        if helped:
            candidate.add(
                codes.GROUP_HELP_ACROSS_GROUPS,
                min(GROUP_HELP_POINTS * len(helped), GROUP_HELP_CAP),
                families=len(helped),
            )
        stories = sum(month.stories.get(f, 0) for f in members[group_id])
        if stories:
            candidate.add(
                codes.GROUP_STORIES,
                min(GROUP_STORY_POINTS * stories, GROUP_STORY_CAP),
                stories=stories,
            )
        scored.append(candidate)
    return scored


def _business_baselines(month: Month, families: set[int]) -> dict[int, Decimal]:
    """Each family's business income at its baseline: the mean of its first verified months
    (as many as the partner's baseline rule says), skipping months without an answer."""
    rows = (
        FamilyMonth.objects.filter(
            partner=month.partner, family__in=families, period__lte=month.period
        )
        .order_by("family_id", "period")
        .values_list("family_id", "income_business")
    )
    first: dict[int, list] = defaultdict(list)
    for family_id, business in rows:
        first[family_id].append(business)
    baselines = {}
    size = max(month.partner.baseline_months or 1, 1)
    for family_id, values in first.items():
        answered = [value for value in values[:size] if value is not None]
        if answered:
            baselines[family_id] = sum(answered, Decimal(0)) / len(answered)
    return baselines


def _funding(month: Month) -> tuple[dict[int, dict], dict[int, dict]]:
    """venture -> {"amount", "funders"}: pledges made in the window that still stand, and
    pledged money staff recorded as received in the window."""
    pledged: dict[int, dict] = {}
    received: dict[int, dict] = {}
    rows = Pledge.objects.filter(
        partner=month.partner,
        currency=month.partner.currency,
        status__in=STANDING_PLEDGES,
    ).filter(
        Q(created_at__gte=month.start_at, created_at__lt=month.end_at)
        | Q(received_at__gte=month.start_at, received_at__lt=month.end_at)
    )
    for venture_id, funder_id, amount, status, created_at, received_at in rows.values_list(
        "ask__venture_id", "funder_id", "amount", "status", "created_at", "received_at"
    ):
        if month.start_at <= created_at < month.end_at:
            entry = pledged.setdefault(venture_id, {"amount": Decimal(0), "funders": set()})
            entry["amount"] += amount
            entry["funders"].add(funder_id)
        if (
            status in RECEIVED_PLEDGES
            and received_at is not None
            and month.start_at <= received_at < month.end_at
        ):
            entry = received.setdefault(venture_id, {"amount": Decimal(0), "funders": set()})
            entry["amount"] += amount
            entry["funders"].add(funder_id)
    return pledged, received


def _score_ventures(month: Month) -> list[Scored]:
    verified = set(month.months)
    active = {
        venture_id: venture
        for venture_id, venture in month.ventures.items()
        if venture["owners"] & verified
    }
    if not active:
        return []
    owners = set().union(*(venture["owners"] for venture in active.values())) & verified
    baselines = _business_baselines(month, owners)
    now = {
        family_id: month.months[family_id]["income_business"]
        for family_id in owners
        if month.months[family_id]["income_business"] is not None
    }
    pledged, received = _funding(month)
    currency = month.partner.currency

    scored = []
    for venture_id, venture in active.items():
        candidate = Scored(VENTURE, venture_id, venture["cohort"])
        if venture["group"] is not None:
            candidate.add(codes.VENTURE_COLLECTIVE, COLLECTIVE_POINTS)
        verified_owners = venture["owners"] & verified
        compared = [f for f in verified_owners if f in baselines and f in now]
        base = sum((baselines[f] for f in compared), Decimal(0))
        current = sum((now[f] for f in compared), Decimal(0))
        if base > 0:
            if current > base:
                percent = _percent((current - base) * 100 / base)
                candidate.add(
                    codes.VENTURE_OWNERS_BUSINESS_UP,
                    _band(percent, BUSINESS_BANDS),
                    percent=str(percent),
                )
        else:
            rows = [month.months[f] for f in verified_owners]
            rows = [r for r in rows if r["baseline_income"] and r["income_change"] is not None]
            income_base = sum((r["baseline_income"] for r in rows), Decimal(0))
            change = sum((r["income_change"] for r in rows), Decimal(0))
            if income_base > 0 and change > 0:
                percent = _percent(change * 100 / income_base)
                candidate.add(
                    codes.VENTURE_OWNERS_INCOME_UP,
                    _band(percent, INCOME_BANDS),
                    percent=str(percent),
                )
        if venture_id in pledged:
            entry = pledged[venture_id]
            candidate.add(
                codes.VENTURE_FUNDING_PLEDGED,
                PLEDGED_POINTS,
                amount=_money(entry["amount"]),
                currency=currency,
                funders=len(entry["funders"]),
            )
        if venture_id in received:
            entry = received[venture_id]
            candidate.add(
                codes.VENTURE_FUNDING_RECEIVED,
                RECEIVED_POINTS,
                amount=_money(entry["amount"]),
                currency=currency,
                funders=len(entry["funders"]),
            )
        scored.append(candidate)
    return scored


def _surfacing(scored: list[Scored], decided: set[str]) -> list[Scored]:
    """The few best of each cohort and kind, above the threshold, leaving out the subjects
    staff already decided on this month."""
    by_place: dict[tuple[int, str], list[Scored]] = defaultdict(list)
    for candidate in scored:
        if candidate.score >= MIN_SCORE and candidate.subject_key not in decided:
            by_place[(candidate.cohort_id, candidate.kind)].append(candidate)
    chosen = []
    for candidates in by_place.values():
        candidates.sort(key=lambda c: (-c.score, c.subject_id))
        chosen += candidates[:TOP_PER_COHORT_AND_KIND]
    return chosen


@transaction.atomic
def candidates_compute(partner_id: int, period: datetime.date) -> int:
    """Score the partner's month and surface its candidates. Returns how many are surfaced for
    that month once done (staff's dismissed and nominated ones are not counted)."""
    partner = Partner.objects.get(pk=partner_id)
    period = period.replace(day=1)
    month = _read_month(partner, period)
    scored = _score_families(month) + _score_groups(month) + _score_ventures(month)

    existing = {
        candidate.subject_key: candidate
        for candidate in Candidate.objects.select_for_update().filter(
            partner=partner, period=period
        )
    }
    decided = {
        key for key, candidate in existing.items() if candidate.state != Candidate.State.SURFACED
    }
    # Nominated in another month: the feature and the family's consent decide from there on.
    decided |= set(
        Candidate.objects.filter(partner=partner, state=Candidate.State.NOMINATED)
        .exclude(period=period)
        .values_list("subject_key", flat=True)
    )
    chosen = _surfacing(scored, decided)
    now = timezone.now()
    to_create, to_update = [], []
    for candidate in chosen:
        row = existing.get(candidate.subject_key)
        if row is None:
            to_create.append(
                Candidate(
                    partner=partner,
                    cohort_id=candidate.cohort_id,
                    period=period,
                    kind=candidate.kind,
                    subject_key=candidate.subject_key,
                    **{f"{candidate.kind}_id": candidate.subject_id},
                    score=candidate.score,
                    reasons=candidate.reasons,
                    computed_at=now,
                )
            )
        else:
            row.cohort_id = candidate.cohort_id
            row.score = candidate.score
            row.reasons = candidate.reasons
            row.computed_at = now
            to_update.append(row)
    keep = {candidate.subject_key for candidate in chosen}
    stale = [
        row.pk
        for key, row in existing.items()
        if row.state == Candidate.State.SURFACED and key not in keep
    ]
    if stale:
        Candidate.objects.filter(pk__in=stale, state=Candidate.State.SURFACED).delete()
    if to_update:
        Candidate.objects.bulk_update(
            to_update, ["cohort", "score", "reasons", "computed_at"], batch_size=500
        )
    if to_create:
        # A run of the same month at the same moment may have added one first: it stands.
        Candidate.objects.bulk_create(to_create, batch_size=500, ignore_conflicts=True)
    return len(chosen)
