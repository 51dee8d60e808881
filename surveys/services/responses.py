"""A family's monthly survey: drafts, submission, corrections, verification and the stipend.

States: draft -> submitted -> verified, or submitted -> needs_correction -> resubmitted ->
verified. Every save keeps a revision. Verifying accrues the stipend exactly once.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound
from mutuality.numbers import NotANumber, to_decimal, to_whole_number
from surveys import notices
from surveys.models import (
    Practice,
    Question,
    Review,
    Stipend,
    SurveyResponse,
    SurveyRevision,
    SurveyTemplate,
)
from surveys.services.practices import sync_action_reports
from surveys.services.templates import current_template
from surveys.signals import survey_verified

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
INCOME_KEYS = ("income_wages", "income_business", "income_benefits", "income_other")
TEXT_LIMIT = 2000


def parse_period(value) -> datetime.date:
    """ "2026-10" -> 2026-10-01; a 400 naming `period` otherwise."""
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = MONTH.match(str(value or "").strip())
    # Nothing on the platform happened before 2000 (and year 0 is no date at all).
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise InvalidInput.for_field("period", _("Give the month as YYYY-MM, like 2026-10."))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def open_periods(family, today: datetime.date | None = None) -> list[datetime.date]:
    """The months a family may still report: this month and the one before, not before its
    cohort started."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    previous = (this_month - datetime.timedelta(days=1)).replace(day=1)
    start = family.cohort.started_on.replace(day=1)
    return [month for month in (this_month, previous) if month >= start]


def _practice_slugs(partner) -> set[str]:
    return set(
        Practice.objects.filter(is_active=True)
        .filter(partner__isnull=True)
        .values_list("slug", flat=True)
    ) | set(Practice.objects.filter(is_active=True, partner=partner).values_list("slug", flat=True))


def _clean_money(question: Question, value, ceiling: Decimal) -> str:
    try:
        amount = to_decimal(value)
    except NotANumber:
        raise ValueError(_("Enter an amount, like 120.50.")) from None
    if amount < 0:
        raise ValueError(_("Enter zero or more."))
    if amount >= ceiling:
        raise ValueError(
            _("This amount looks too large (it must be below %(ceiling)s).")
            % {"ceiling": formatting.number(ceiling, 0)}
        )
    if amount.as_tuple().exponent < -2:
        raise ValueError(_("Use at most two decimals."))
    return str(amount.quantize(Decimal("0.01")))


def _clean_number(question: Question, value) -> int:
    try:
        number = to_whole_number(value)
    except NotANumber:
        raise ValueError(_("Enter a whole number.")) from None
    low = question.min_value if question.min_value is not None else Decimal("0")
    high = question.max_value
    if number < low or (high is not None and number > high):
        raise ValueError(
            _("Enter a number between %(low)s and %(high)s.")
            % {"low": int(low), "high": int(high) if high is not None else "…"}
        )
    return number


def _clean_one(question: Question, value, *, ceiling: Decimal, practices: set[str]):
    if value is None or value == "" or value == []:
        return None
    kind = question.type
    if kind == Question.Type.MONEY:
        return _clean_money(question, value, ceiling)
    if kind == Question.Type.NUMBER:
        return _clean_number(question, value)
    if kind == Question.Type.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"yes", "true", "1"}:
            return True
        if text in {"no", "false", "0"}:
            return False
        raise ValueError(_("Answer yes or no."))
    if kind == Question.Type.CHOICE:
        allowed = {choice["value"] for choice in question.choices}
        if str(value) not in allowed:
            raise ValueError(_("Choose one of the answers offered."))
        return str(value)
    if kind == Question.Type.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        allowed = (
            practices if question.key == "practices" else {c["value"] for c in question.choices}
        )
        unknown = [str(v) for v in values if str(v) not in allowed]
        if unknown:
            raise ValueError(_("Unknown choice: %(values)s") % {"values": ", ".join(unknown)})
        return sorted({str(v) for v in values})
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL cannot store it, and nobody types it.
        raise ValueError(_("Remove the invisible control character from this answer."))
    if len(text) > TEXT_LIMIT:
        raise ValueError(_("Keep it under %(n)d characters.") % {"n": TEXT_LIMIT})
    return text


def clean_answers(*, template: SurveyTemplate, answers, partner) -> dict:
    """Answers checked against the version's questions: a 400 naming every bad field."""
    if not isinstance(answers, dict):
        raise InvalidInput.for_field("answers", _("Send the answers as an object of keys."))
    questions = {q.key: q for q in template.questions.all()}
    practices = _practice_slugs(partner) if "practices" in questions else set()
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            errors[f"answers.{key}"] = [_("This survey has no question with this key.")]
            continue
        try:
            cleaned[key] = _clean_one(
                question, value, ceiling=partner.survey_money_ceiling, practices=practices
            )
        except ValueError as exc:
            errors[f"answers.{key}"] = [str(exc)]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    return cleaned


# The short survey's channels: only its own questions are asked, so only they are demanded.
SHORT_SURVEY_CHANNELS = {SurveyResponse.Channel.SMS, SurveyResponse.Channel.USSD}


def missing_required(
    template: SurveyTemplate, answers: dict, *, channel: str = SurveyResponse.Channel.WEB
) -> dict[str, list[str]]:
    short = channel in SHORT_SURVEY_CHANNELS
    return {
        f"answers.{q.key}": [_("This question needs an answer.")]
        for q in template.questions.all()
        if q.required and (q.in_sms_survey or not short) and answers.get(q.key) in (None, "", [])
    }


def income_total(answers: dict) -> Decimal | None:
    values = [answers.get(key) for key in INCOME_KEYS]
    if all(v is None for v in values):
        return None
    return sum((Decimal(v) for v in values if v is not None), Decimal("0"))


def unusual_changes(response: SurveyResponse) -> list[dict]:
    """Income or savings that moved more than the partner's threshold since the last verified
    month. Flags never block; they ask the liaison to look twice."""
    previous = (
        SurveyResponse.objects.filter(
            family=response.family_id,
            state=SurveyResponse.State.VERIFIED,
            period__lt=response.period,
        )
        .order_by("-period")
        .first()
    )
    if previous is None:
        return []
    threshold = Decimal(response.partner.unusual_change_percent)
    flags = []
    pairs = [
        ("income_total", income_total(previous.answers), income_total(response.answers)),
        (
            "savings_balance",
            _decimal(previous.answers.get("savings_balance")),
            _decimal(response.answers.get("savings_balance")),
        ),
    ]
    for metric, before, now in pairs:
        if before is None or now is None:
            continue
        if before == 0:
            changed = now != 0
            percent = None
        else:
            percent = (now - before) / before * 100
            changed = abs(percent) > threshold
        if changed:
            flags.append(
                {
                    "metric": metric,
                    "previous": str(before),
                    "current": str(now),
                    "percent": None if percent is None else int(percent.quantize(Decimal("1"))),
                    "since": previous.month,
                }
            )
    return flags


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _revise(response: SurveyResponse, user) -> None:
    last = response.revisions.aggregate(n=Max("number"))["n"] or 0
    SurveyRevision.objects.create(
        partner_id=response.partner_id,
        response=response,
        number=last + 1,
        answers=response.answers,
        state=response.state,
        created_by=user,
    )


def _submit(response: SurveyResponse, channel: str) -> None:
    missing = missing_required(response.template, response.answers, channel=channel)
    if missing:
        raise InvalidInput(_("Some questions still need an answer."), errors=missing)
    response.state = (
        SurveyResponse.State.RESUBMITTED
        if response.state == SurveyResponse.State.NEEDS_CORRECTION
        else SurveyResponse.State.SUBMITTED
    )
    response.submitted_at = timezone.now()
    response.channel = channel
    response.flags = unusual_changes(response)


def check_period(*, family, period, today: datetime.date | None = None) -> datetime.date:
    """The month a survey may be about, or a 400 naming `period`: not a month to come, nor
    one before the family's cohort started."""
    month = parse_period(period)
    today = today or timezone.localdate()
    if month > today.replace(day=1):
        raise InvalidInput.for_field("period", _("This month has not come yet."))
    if month < family.cohort.started_on.replace(day=1):
        raise InvalidInput.for_field("period", _("Your cohort had not started that month."))
    return month


@transaction.atomic
def survey_create(
    *,
    seat: FamilySeat,
    period,
    answers: dict,
    submit: bool = False,
    channel: str = SurveyResponse.Channel.WEB,
    client_uuid=None,
) -> SurveyResponse:
    """The month's survey of the family. A second one for the month is a 409 whose body names
    the first (`survey`), so a client can open it. `client_uuid`: see `survey_send_once`."""
    family = seat.family
    month = check_period(family=family, period=period)
    existing = SurveyResponse.objects.filter(family=family, period=month).values_list(
        "pk", flat=True
    )
    if existing:
        raise Conflict(
            _("There is already a survey for %(month)s.") % {"month": formatting.month_name(month)},
            errors={"period": [_("Already filled in: open it to continue.")]},
            extra={"survey": existing[0]},
        )
    template = current_template(family.partner)
    cleaned = clean_answers(template=template, answers=answers, partner=family.partner)
    response = SurveyResponse(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        template=template,
        period=month,
        answers={k: v for k, v in cleaned.items() if v is not None},
        channel=channel,
        client_uuid=client_uuid,
        created_by=seat.user,
    )
    if submit:
        _submit(response, channel)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:  # the same month saved a moment ago (double tap)
        first = SurveyResponse.objects.filter(family=family, period=month).first()
        raise Conflict(
            _("There is already a survey for %(month)s.") % {"month": formatting.month_name(month)},
            errors={"period": [_("Already filled in: open it to continue.")]},
            extra={"survey": first.pk} if first else None,
        ) from exc
    _revise(response, seat.user)
    if submit:
        sync_action_reports(response)
    audit_record(
        actor=seat.user,
        verb="survey.submit" if submit else "survey.draft",
        obj=response,
        partner=family.partner,
        after={"period": response.month, "state": response.state},
    )
    return response


@transaction.atomic
def survey_update(
    *,
    seat: FamilySeat,
    response: SurveyResponse,
    answers: dict,
    submit: bool = False,
    channel: str = SurveyResponse.Channel.WEB,
) -> SurveyResponse:
    """`channel` is what the survey is sent by: it is kept when `submit` sends it."""
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if response.family_id != seat.family.pk:
        raise NotFound(_("Not found."))
    if not response.is_editable_by_family:
        raise Conflict(
            _("This survey was sent and can no longer be changed.")
            if response.state != SurveyResponse.State.VERIFIED
            else _("This survey is verified and can no longer be changed.")
        )
    cleaned = clean_answers(template=response.template, answers=answers, partner=seat.partner)
    before = {"state": response.state}
    merged = {**response.answers, **cleaned}
    response.answers = {k: v for k, v in merged.items() if v is not None}
    if submit:
        _submit(response, channel)
    response.save()
    _revise(response, seat.user)
    if submit:
        sync_action_reports(response)
    audit_record(
        actor=seat.user,
        verb="survey.submit" if submit else "survey.edit",
        obj=response,
        partner=seat.family.partner,
        before=before,
        after={"state": response.state},
    )
    return response


def _check_reviewer(seat: policy.Seat, response: SurveyResponse) -> None:
    policy.require(seat, "survey.verify")
    if response.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, response.cohort):
        raise NotAllowed(_("You verify surveys of your own cohorts only."))


@transaction.atomic
def survey_verify(
    *, seat: policy.Seat, response: SurveyResponse, evidence: str = "", note: str = ""
) -> SurveyResponse:
    """Verified, and the partner's stipend accrued exactly once (a retry, a double click or
    two liaisons at once still make one stipend: the row lock and the survey's unique stipend)."""
    _check_reviewer(seat, response)
    response = (
        SurveyResponse.objects.select_for_update()
        .select_related("partner", "family")
        .get(pk=response.pk)
    )
    if not response.is_waiting:
        raise Conflict(
            _("Only a survey waiting for verification can be verified (this one is: %(state)s).")
            % {"state": response.get_state_display()}
        )
    response.state = SurveyResponse.State.VERIFIED
    response.verified_at = timezone.now()
    response.save(update_fields=["state", "verified_at", "updated_at"])
    Review.objects.create(
        partner_id=response.partner_id,
        response=response,
        reviewer=seat.user,
        action=Review.Action.VERIFY,
        evidence=(evidence or "").strip()[:300],
        note=(note or "").strip(),
    )
    stipend, created = Stipend.objects.get_or_create(
        survey=response,
        defaults={
            "partner_id": response.partner_id,
            "family_id": response.family_id,
            "amount": response.partner.stipend_amount,
            "currency": response.partner.currency,
        },
    )
    audit_record(
        actor=seat.user,
        verb="survey.verify",
        obj=response,
        partner=seat.partner,
        before={"state": "waiting"},
        after={"state": "verified", "stipend": str(stipend.amount) if created else None},
    )
    transaction.on_commit(
        lambda: survey_verified.send(sender=SurveyResponse, response_id=response.pk)
    )
    if created:
        notices.survey_verified(response, stipend)
    return response


@transaction.atomic
def survey_request_correction(
    *, seat: policy.Seat, response: SurveyResponse, reason: str, note: str = "", evidence: str = ""
) -> SurveyResponse:
    _check_reviewer(seat, response)
    if reason not in Review.Reason.values:
        raise InvalidInput.for_field("reason", _("Choose the reason for the correction."))
    note = (note or "").strip()
    if reason == Review.Reason.OTHER and not note:
        raise InvalidInput.for_field("note", _("Say what needs correcting."))
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if not response.is_waiting:
        raise Conflict(_("Only a survey waiting for verification can be sent back."))
    response.state = SurveyResponse.State.NEEDS_CORRECTION
    response.save(update_fields=["state", "updated_at"])
    review = Review.objects.create(
        partner_id=response.partner_id,
        response=response,
        reviewer=seat.user,
        action=Review.Action.REQUEST_CORRECTION,
        reason=reason,
        note=note,
        evidence=(evidence or "").strip()[:300],
    )
    audit_record(
        actor=seat.user,
        verb="survey.request_correction",
        obj=response,
        partner=seat.partner,
        before={"state": "waiting"},
        after={"state": "needs_correction", "reason": reason},
    )
    notices.correction_asked(review)
    return response
