"""Verified months made by hand, for tests whose trends are known in advance."""

import datetime
from decimal import Decimal

from django.utils import timezone

from surveys.models import SurveyResponse
from surveys.services.templates import current_template

ZERO_ANSWERS = {
    "income_wages": "0",
    "income_business": "0",
    "income_benefits": "0",
    "income_other": "0",
    "savings_balance": "0",
    "debt_formal": "0",
    "debt_high_cost": "0",
}


def survey(family, period: datetime.date, *, state=SurveyResponse.State.VERIFIED, **answers):
    """A survey of `family` for `period`; money answers as the form stores them (strings)."""
    values = dict(ZERO_ANSWERS)
    values.update({key: str(Decimal(str(value))) for key, value in answers.items()})
    return SurveyResponse.objects.create(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        template=current_template(family.partner),
        period=period,
        answers=values,
        state=state,
        submitted_at=timezone.now(),
        verified_at=timezone.now() if state == SurveyResponse.State.VERIFIED else None,
    )
