"""Reads for Everyday Changemaker candidates: the staff list, and each reason as a sentence."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import policy
from changemakers.models import Candidate
from families.models import Cohort
from mutuality import formatting
from mutuality.errors import NotFound
from surveys.models import in_language

# The reason codes the scoring job writes (changemakers/scoring.py). Values are JSON-safe:
# strings and integers, plus a practice's names per language.
FAMILY_INCOME_UP = "income_up"
FAMILY_NET_UP = "net_up"
FAMILY_HELP_ACROSS_GROUPS = "help_across_groups"
FAMILY_PRACTICE_FOLLOWED = "practice_followed"
FAMILY_STORIES = "stories"
FAMILY_GROUP_VENTURE = "group_venture"
GROUP_IMPROVED = "group_improved"
GROUP_VENTURES = "group_ventures"
GROUP_HELP_ACROSS_GROUPS = "group_help_across_groups"
GROUP_STORIES = "group_stories"
VENTURE_COLLECTIVE = "collective"
VENTURE_OWNERS_BUSINESS_UP = "owners_business_up"
VENTURE_OWNERS_INCOME_UP = "owners_income_up"
VENTURE_FUNDING_PLEDGED = "funding_pledged"
VENTURE_FUNDING_RECEIVED = "funding_received"


def _int(values: dict, key: str) -> int:
    try:
        return int(values.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _percent(value) -> str:
    """A percentage the job stored ("52", "12.5") in the reader's notation, to its decimals."""
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formatting.percent(points / 100, max(0, -points.as_tuple().exponent))


def _money(values: dict) -> str:
    try:
        return formatting.money(Decimal(str(values.get("amount"))), values.get("currency", ""))
    except (InvalidOperation, ValueError, KeyError):
        return f"{values.get('amount', '')} {values.get('currency', '')}".strip()


def reason_text(reason: dict) -> str:
    """One reason as a sentence in the active language."""
    code = reason.get("code", "")
    values = reason.get("values") or {}
    percent = _percent(values.get("percent", ""))
    if code == FAMILY_INCOME_UP:
        return _("Income up %(percent)s since the baseline") % {"percent": percent}
    if code == FAMILY_NET_UP:
        return _("Net position (savings minus debt) up %(percent)s since the baseline") % {
            "percent": percent
        }
    if code == FAMILY_HELP_ACROSS_GROUPS:
        families = _int(values, "families")
        return ngettext(
            "Helped %(count)d family of another group",
            "Helped %(count)d families of other groups",
            families,
        ) % {"count": families}
    if code == FAMILY_PRACTICE_FOLLOWED:
        families = _int(values, "families")
        practice = in_language(values.get("practice_names") or {}) or values.get("practice", "")
        return ngettext(
            "%(practice)s: %(count)d family took it up after them",
            "%(practice)s: %(count)d families took it up after them",
            families,
        ) % {"count": families, "practice": practice}
    if code == FAMILY_STORIES:
        stories = _int(values, "stories")
        return ngettext("Shared %(count)d story", "Shared %(count)d stories", stories) % {
            "count": stories
        }
    if code == FAMILY_GROUP_VENTURE:
        return _("Part of a group venture")
    if code == GROUP_IMPROVED:
        return _("%(improved)d of %(families)d families better off than at their baseline") % {
            "improved": _int(values, "improved"),
            "families": _int(values, "families"),
        }
    if code == GROUP_VENTURES:
        ventures = _int(values, "ventures")
        return ngettext(
            "Runs %(count)d group venture", "Runs %(count)d group ventures", ventures
        ) % {"count": ventures}
    if code == GROUP_HELP_ACROSS_GROUPS:
        families = _int(values, "families")
        return ngettext(
            "Its families helped %(count)d family of other groups",
            "Its families helped %(count)d families of other groups",
            families,
        ) % {"count": families}
    if code == GROUP_STORIES:
        stories = _int(values, "stories")
        return ngettext(
            "Its families shared %(count)d story",
            "Its families shared %(count)d stories",
            stories,
        ) % {"count": stories}
    if code == VENTURE_COLLECTIVE:
        return _("A collective venture, owned by a group")
    if code == VENTURE_OWNERS_BUSINESS_UP:
        return _("Owners' business income up %(percent)s since the baseline") % {"percent": percent}
    if code == VENTURE_OWNERS_INCOME_UP:
        return _("Owners' income up %(percent)s since the baseline") % {"percent": percent}
    if code == VENTURE_FUNDING_PLEDGED:
        funders = _int(values, "funders")
        return ngettext(
            "%(count)d funder pledged %(amount)s",
            "%(count)d funders pledged %(amount)s",
            funders,
        ) % {"count": funders, "amount": _money(values)}
    if code == VENTURE_FUNDING_RECEIVED:
        return _("Received %(amount)s from funders") % {"amount": _money(values)}
    # A code from a newer job than this page: say something rather than fail.
    return code.replace("_", " ").capitalize()


def reason_texts(reasons: list[dict] | None) -> list[str]:
    """Each reason of a candidate as a sentence in the viewer's language, in order."""
    return [reason_text(reason) for reason in reasons or []]


# The staff list -------------------------------------------------------------------------------

ANY_STATE = "all"


def _filtered(
    candidates: QuerySet[Candidate],
    *,
    cohort: Cohort | int | None = None,
    kind: str = "",
    state: str = Candidate.State.SURFACED,
    period: datetime.date | None = None,
) -> QuerySet[Candidate]:
    if cohort is not None:
        candidates = candidates.filter(cohort=cohort)
    if kind:
        candidates = candidates.filter(kind=kind)
    if state and state != ANY_STATE:
        candidates = candidates.filter(state=state)
    if period is not None:
        candidates = candidates.filter(period=period.replace(day=1))
    return candidates.select_related(
        "partner", "cohort", "family", "group", "venture", "decided_by"
    ).order_by("-period", "-score", "id")


def candidates_for_staff(
    seat: policy.Seat,
    *,
    cohort: Cohort | int | None = None,
    kind: str = "",
    state: str = Candidate.State.SURFACED,
    period: datetime.date | None = None,
) -> QuerySet[Candidate]:
    """The seat's partner's candidates, newest month first, then by score. `state` "all" lists
    every state; the default lists those waiting for a decision."""
    policy.require(seat, "changemakers.review")
    return _filtered(
        Candidate.objects.filter(partner=seat.partner),
        cohort=cohort,
        kind=kind,
        state=state,
        period=period,
    )


def candidates_for_seats(
    seats: Iterable[policy.Seat],
    *,
    cohort: int | None = None,
    kind: str = "",
    state: str = Candidate.State.SURFACED,
    period: datetime.date | None = None,
) -> QuerySet[Candidate]:
    """The candidates of every partner where the seat may review them (the API's list)."""
    partner_ids = [seat.partner.pk for seat in seats if seat.can("changemakers.review")]
    return _filtered(
        Candidate.objects.filter(partner__in=partner_ids),
        cohort=cohort,
        kind=kind,
        state=state,
        period=period,
    )


def access_candidate(seat: policy.Seat, candidate_id) -> Candidate:
    """One of the seat's partner's candidates, or 404 (missing and another partner's alike)."""
    try:
        candidate_id = int(candidate_id)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    candidate = (
        Candidate.objects.filter(partner=seat.partner, pk=candidate_id)
        .select_related("partner", "cohort", "family", "group", "venture")
        .first()
    )
    if candidate is None:
        raise NotFound(_("Not found."))
    return candidate


def subject_of(candidate: Candidate):
    """The family, group or venture a candidate is about."""
    if candidate.kind not in Candidate.Kind.values:
        return None
    return getattr(candidate, candidate.kind)


def subject_name(candidate: Candidate) -> str:
    subject = subject_of(candidate)
    return subject.name if subject is not None else candidate.subject_key
