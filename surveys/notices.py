"""The survey's notices to households (`messaging.notices`): the month is open, a reminder,
a correction asked, the survey verified with its stipend, a payment that failed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Partner
from families.models import Family
from messaging.models import Message, NoticePreference, SmsSurveySession
from messaging.notices import month_key, notify_family, reason_text
from messaging.services import partner_messaging
from mutuality import phones
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
    gets each notice of a month once.

    A household on the survey by text message (`NoticePreference.survey_by_sms`) gets the
    survey's first question instead of the opening notice (once a month: its session), and
    the reminder like every household."""
    from messaging.survey_by_sms import expire_sessions, start_sms_survey

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
    expire_sessions(partner, period)
    by_sms = set(
        NoticePreference.objects.filter(family__partner=partner, survey_by_sms=True).values_list(
            "family_id", flat=True
        )
    )
    started = set(
        SmsSurveySession.objects.filter(
            partner=partner, period=period, channel=SmsSurveySession.Channel.SMS
        ).values_list("family_id", flat=True)
    )
    count = 0
    for family in families.iterator(chunk_size=500):
        on_sms = family.pk in by_sms and phones.is_e164(family.contact_phone)
        if on_sms and family.pk not in started and start_sms_survey(family, period):
            count += 1
            continue
        if family.pk in done or (on_sms and not remind):
            continue  # (its first question was its opening notice)
        key = month_key(family, period)
        count += len(notify_family(family=family, notice=notice, key=key, month=period))
    return count
