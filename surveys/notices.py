"""The survey's notices to households (`messaging.notices`): the month is open, a reminder,
a correction asked, the survey verified with its stipend, a payment that failed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Partner
from families.models import Family
from messaging.models import Message
from messaging.notices import month_key, notify_family, reason_text
from messaging.services import partner_messaging
from surveys.models import SurveyResponse


def correction_asked(review) -> None:
    response = review.response
    notify_family(
        family=response.family,
        notice="correction_asked",
        key=str(review.pk),
        month=response.period,
        reason=reason_text(review),
    )


def survey_verified(response, stipend) -> None:
    notify_family(
        family=response.family,
        notice="survey_verified",
        key=str(response.pk),
        month=response.period,
        amount=stipend.amount,
    )


def payment_failed(stipend) -> None:
    # A stipend fails at most once in a batch: the batch names the failure.
    notify_family(
        family=stipend.family,
        notice="payment_failed",
        key=f"{stipend.pk}:{stipend.batch_id}",
        amount=stipend.amount,
    )


def month_open(partner: Partner, today: datetime.date | None = None) -> int:
    """This month's survey is open: a notice to each household of the partner that has not
    sent it, and one reminder `reminder_after_days` into the month. Run daily: each household
    gets each notice of a month once."""
    today = today or timezone.localdate()
    period = today.replace(day=1)
    remind = (today - period).days >= partner_messaging(partner).reminder_after_days
    sent_already = SurveyResponse.objects.filter(partner=partner, period=period).exclude(
        state=SurveyResponse.State.DRAFT
    )
    families = (
        Family.objects.filter(partner=partner, cohort__started_on__lte=today)
        .exclude(pk__in=sent_already.values("family_id"))
        .select_related("partner")
        .order_by("pk")
    )
    notice = "survey_reminder" if remind else "survey_open"
    done = set(
        Message.objects.filter(partner=partner, template=notice, family__isnull=False)
        .filter(dedupe_key__contains=f":{period:%Y-%m}:")
        .values_list("family_id", flat=True)
    )
    count = 0
    for family in families.iterator(chunk_size=500):
        if family.pk in done:
            continue
        key = month_key(family, period)
        count += len(notify_family(family=family, notice=notice, key=key, month=period))
    return count
