"""Hand-made surveys and practice reports for the diffusion tests: rows built directly, so that
many families and months stay quick to set up."""

from __future__ import annotations

import datetime
import math

from changemakers.diffusion import add_months
from families.models import Cohort, Family
from surveys.models import ActionReport, Practice, SurveyResponse
from surveys.services.templates import current_template, ensure_default_practices
from tests import clock, factories

START = clock.month(-11)
VERIFIED = SurveyResponse.State.VERIFIED


def practice(slug: str) -> Practice:
    """The platform's practice, or the one a partner added (slugs are unique in these tests)."""
    ensure_default_practices()
    return Practice.objects.get(slug=slug)


def own_practice(partner, slug: str, name: str) -> Practice:
    return Practice.objects.create(partner=partner, slug=slug, names={"en": name})


def month(offset: int) -> datetime.date:
    return add_months(START, offset)


def survey(
    family: Family, period: datetime.date, slugs=(), *, state: str = VERIFIED
) -> SurveyResponse:
    """A survey of the family for the month, listing `slugs`, with its action reports."""
    response = SurveyResponse.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        template=current_template(family.partner),
        period=period,
        answers={"practices": list(slugs)},
        state=state,
    )
    ActionReport.objects.bulk_create(
        ActionReport(
            partner_id=family.partner_id,
            cohort_id=family.cohort_id,
            family=family,
            practice=practice(slug),
            period=period,
            survey=response,
        )
        for slug in slugs
    )
    return response


def cohort_with_families(partner, count: int, *, name: str = "Riverside") -> tuple[Cohort, list]:
    cohort = factories.CohortFactory(partner=partner, name=name, started_on=START)
    group = factories.GroupFactory(cohort=cohort)
    families = Family.objects.bulk_create(
        Family(
            partner=partner,
            cohort=cohort,
            group=group,
            name=f"{name} household {n}",
            household_size=3,
            contact_phone=f"+1 510 555 01{n:02d}",
        )
        for n in range(count)
    )
    return cohort, families


def bass_counts(p: float, q: float, m: int, months: int) -> list[int]:
    """Cumulative adopters at the end of each month under the Bass model, rounded."""
    counts = []
    for t in range(1, months + 1):
        decay = math.exp(-(p + q) * t)
        counts.append(round(m * (1 - decay) / (1 + (q / p) * decay)))
    return counts


def adopt_along(families: list[Family], cumulative: list[int], slug: str) -> None:
    """Families start the practice month by month so that the cumulative count follows
    `cumulative`; the cohort has a verified survey every month (the last months too, when
    nobody new starts)."""
    chosen = practice(slug)
    template = current_template(families[0].partner)
    responses, reports, started = [], [], 0
    for offset, total in enumerate(cumulative):
        period = month(offset)
        newcomers = families[started:total]
        # Someone who is not starting answers too, so every month has verified data.
        answering = newcomers or [families[-1]]
        for family in answering:
            responses.append(
                SurveyResponse(
                    partner_id=family.partner_id,
                    cohort_id=family.cohort_id,
                    family=family,
                    template=template,
                    period=period,
                    answers={"practices": [slug] if family in newcomers else []},
                    state=VERIFIED,
                )
            )
        started = total
    created = SurveyResponse.objects.bulk_create(responses)
    for response in created:
        if response.answers["practices"]:
            reports.append(
                ActionReport(
                    partner_id=response.partner_id,
                    cohort_id=response.cohort_id,
                    family_id=response.family_id,
                    practice=chosen,
                    period=response.period,
                    survey=response,
                )
            )
    ActionReport.objects.bulk_create(reports)
