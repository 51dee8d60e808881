"""The monthly survey as a conversation by text message or USSD: one question at a time.

- The questions are the survey's short survey (`Question.in_sms_survey`), fixed when the
  session starts. What the family may reply is in `messaging.sms_answers`.
- Every answer goes into the month's survey as soon as it is read, through the survey
  services (their checks, revisions and audit): a web draft of that month is filled, else a
  draft is made. So a household that opens the web form mid-conversation sees what it
  answered, and may finish there. The last answer sends the survey (waiting for
  verification), with the channel `sms` or `ussd`; only the short survey's own required
  questions are demanded then.
- A survey already sent (or verified) is not sent again: the family is told so.
- An answer that cannot be read gets a short retry message with the reason; a second one in a
  row gets the whole question again (as does any unreadable answer after `RESUME_AFTER` of
  silence). Silence never ends a session: the next message continues it, until the month
  ends (the session expires then, and the next message starts the new month's survey).
- With no open session, any message from a household of the partner starts this month's
  survey (its reply is the first question, not an answer).

The SMS survey is the one part of `messaging` that knows the survey: it is the conversation
layer, above `surveys`' services (which, below it, only call `messaging` for notices), so
`surveys` imports it only inside functions.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from families.access import FamilySeat
from families.models import Family
from messaging import sms_answers
from messaging.models import Message, SmsSurveySession
from messaging.notices import preference_of
from messaging.services import send_sms
from mutuality import formatting, phones
from mutuality.errors import ApplicationError, InvalidInput

log = logging.getLogger(__name__)

RESUME_AFTER = datetime.timedelta(hours=6)
TEMPLATE = "sms_survey"  # Message.template of the conversation's texts


@dataclass(frozen=True)
class Turn:
    """What the family is told after a message: `kind` is "question" (the current one),
    "retry" (with `reason`), "done", "already_sent" or "no_questions"."""

    kind: str
    reason: str = ""


def local_period(partner) -> datetime.date:
    """The month the conversation is about: this month as the survey services count months
    (`timezone.localdate()`, as the web form and the month-opening job do), so a text is never
    about a month they would call one to come."""
    return timezone.localdate().replace(day=1)


def family_for_phone(partner, phone: str) -> Family | None:
    if not phone:
        return None
    return (
        Family.objects.filter(partner=partner, contact_phone=phone)
        .select_related("partner", "cohort")
        .order_by("pk")
        .first()
    )


def family_id_for_phone(partner, phone: str) -> int | None:
    """`family_for_phone`'s household, by its id alone: what an inbound hook needs."""
    if not phone:
        return None
    matches = Family.objects.filter(partner=partner, contact_phone=phone).order_by("pk")
    return matches.values_list("pk", flat=True).first()


def family_language(family) -> str:
    return preference_of(family)[1]


def _seat(family) -> FamilySeat:
    # The household acts by its phone: its first member with an account, if any, is the actor.
    member = family.members.exclude(user=None).select_related("user").order_by("pk").first()
    return FamilySeat(user=member.user if member else None, family=family)


def month_survey(family, period):
    from surveys.models import SurveyResponse

    return SurveyResponse.objects.filter(family=family, period=period).first()


def _template_for(family, period):
    from surveys.services import current_template

    survey = month_survey(family, period)
    return survey.template if survey is not None else current_template(family.partner)


def questions_of(session) -> list:
    """The session's questions, in its order (a key no longer in the survey is dropped)."""
    by_key = {q.key: q for q in _template_for(session.family, session.period).questions.all()}
    return [by_key[key] for key in session.question_keys if key in by_key]


def is_sent(survey) -> bool:
    return survey is not None and not survey.is_editable_by_family


def expire_sessions(partner, period: datetime.date) -> int:
    """Open sessions of months before `period` end: their month is over."""
    return SmsSurveySession.objects.filter(
        partner=partner, state=SmsSurveySession.State.OPEN, period__lt=period
    ).update(state=SmsSurveySession.State.EXPIRED, last_activity_at=timezone.now())


def open_session(family, period, channel) -> tuple[SmsSurveySession, bool]:
    """The month's session of `channel`, locked; True when it (re)starts from the beginning."""
    from surveys.services.sms_questions import sms_questions

    session = (
        SmsSurveySession.objects.select_for_update()
        .filter(family=family, period=period, channel=channel)
        .first()
    )
    keys = [q.key for q in sms_questions(_template_for(family, period))]
    if session is None:
        session, created = SmsSurveySession.objects.get_or_create(
            family=family,
            period=period,
            channel=channel,
            defaults={"partner": family.partner, "question_keys": keys},
        )
        if created:
            return session, True
        session = SmsSurveySession.objects.select_for_update().get(pk=session.pk)
    if session.state == SmsSurveySession.State.OPEN:
        return session, False
    if session.state == SmsSurveySession.State.DONE:
        # Sent, then sent back for a correction: the short survey starts over.
        session.position, session.answers = 0, {}
    session.state, session.retries, session.question_keys = (
        SmsSurveySession.State.OPEN,
        0,
        keys if session.state == SmsSurveySession.State.DONE else session.question_keys,
    )
    return session, True


def _save(session, answers: dict, *, submit: bool):
    """Into the month's survey, through its services; InvalidInput when they refuse."""
    from surveys import services

    seat = _seat(session.family)
    survey = month_survey(session.family, session.period)
    if survey is None:
        return services.survey_create(
            seat=seat,
            period=session.period,
            answers=answers,
            submit=submit,
            channel=session.channel,
        )
    return services.survey_update(
        seat=seat, response=survey, answers=answers, submit=submit, channel=session.channel
    )


def _field_error(error: InvalidInput, key: str) -> str:
    messages = error.errors.get(f"answers.{key}") or []
    return str(messages[0]) if messages else error.message


def _advance(session, questions) -> Turn:
    session.position += 1
    session.retries = 0
    if session.position < len(questions):
        return Turn("question")
    return _finish(session, questions)


def _finish(session, questions) -> Turn:
    try:
        _save(session, {}, submit=True)
    except InvalidInput as error:
        # A required question of the short survey is still empty: back to it.
        keys = [q.key for q in questions]
        for index, key in enumerate(keys):
            if f"answers.{key}" in error.errors:
                session.position = index
                return Turn("retry", reason=_field_error(error, key))
        raise
    session.state = SmsSurveySession.State.DONE
    return Turn("done")


def _invalid(session, reason: str, silent_for: datetime.timedelta) -> Turn:
    session.retries += 1
    if session.retries >= 2 or silent_for > RESUME_AFTER:
        session.retries = 0
        return Turn("question")
    return Turn("retry", reason=reason)


def apply_answer(session, text: str, language: str) -> Turn:
    """One reply to the session's current question: read, kept, and the session moved on."""
    questions = questions_of(session)
    if not questions:
        return Turn("no_questions")
    if is_sent(month_survey(session.family, session.period)):
        session.state = SmsSurveySession.State.DONE
        return Turn("already_sent")
    silent_for = timezone.now() - session.last_activity_at
    session.position = min(session.position, len(questions) - 1)
    question = questions[session.position]
    if sms_answers.is_back(text):
        session.position, session.retries = max(session.position - 1, 0), 0
        return Turn("question")
    if sms_answers.is_skip(text):
        if question.required:
            return _invalid(session, _("This question needs an answer."), silent_for)
        session.answers.pop(question.key, None)
        return _advance(session, questions)
    reading = sms_answers.read_answer(question, text, language)
    if reading.error:
        return _invalid(session, reading.error, silent_for)
    last = session.position == len(questions) - 1
    try:
        survey = _save(session, {question.key: reading.value}, submit=False)
    except InvalidInput as error:
        return _invalid(session, _field_error(error, question.key), silent_for)
    session.answers[question.key] = survey.answers.get(question.key)
    if last:
        return _finish(session, questions)
    return _advance(session, questions)


# What the family reads ---------------------------------------------------------------------------


def question_text(session, questions, language: str) -> str:
    question = questions[session.position]
    return f"{session.position + 1}/{len(questions)} {question.label}: " + (
        sms_answers.how_to_answer(question, language)
    )


def intro_text(session, questions, language: str) -> str:
    return _(
        "%(partner)s: the survey for %(month)s by text message, %(n)d questions. Reply to "
        "each; %(skip)s skips one, %(back)s goes back, STOP stops."
    ) % {
        "partner": session.partner.name,
        "month": formatting.month_name(session.period),
        "n": len(questions),
        "skip": sms_answers.word(sms_answers.SKIP_WORDS, language),
        "back": sms_answers.word(sms_answers.BACK_WORDS, language),
    }


def outcome_text(session, turn: Turn, language: str) -> str:
    """The reply to a message by text, in the active language."""
    month = formatting.month_name(session.period)
    if turn.kind == "done":
        return _("Thank you! Your survey for %(month)s is sent. Your liaison will verify it.") % {
            "month": month
        }
    if turn.kind == "already_sent":
        return _("Your survey for %(month)s is already sent. Thank you!") % {"month": month}
    if turn.kind == "no_questions":
        return _("There is no survey by text message this month.")
    questions = questions_of(session)
    if turn.kind == "retry":
        return _("%(reason)s Please try again.") % {"reason": turn.reason}
    return question_text(session, questions, language)


def _send(session, body: str, language: str, step: str) -> Message | None:
    # One reply per (session, step, turn): a provider's retry never sends it twice.
    return send_sms(
        to=session.family.contact_phone,
        body=body,
        template=TEMPLATE,
        language=language,
        partner=session.partner,
        family=session.family,
        dedupe_key=f"{TEMPLATE}:{session.pk}:{step}:{session.turn}",
    )


# Starting and answering by text message ---------------------------------------------------------


def _start_text(session, language: str) -> str:
    questions = questions_of(session)
    if not questions:
        return _("There is no survey by text message this month.")
    return (
        intro_text(session, questions, language)
        + "\n"
        + question_text(session, questions, language)
    )


@transaction.atomic
def start_sms_survey(family, period: datetime.date | None = None) -> Message | None:
    """Text `family` the first question of the month's survey (once: nothing when it was
    started already, the survey was sent, or the household has no number we can text)."""
    period = (period or local_period(family.partner)).replace(day=1)
    if not phones.is_e164(family.contact_phone) or is_sent(month_survey(family, period)):
        return None
    if period < family.cohort.started_on.replace(day=1):
        return None
    session, started = open_session(family, period, SmsSurveySession.Channel.SMS)
    if not started:
        return None
    session.last_activity_at = timezone.now()
    session.save()
    language = family_language(family)
    with translation.override(language):
        return _send(session, _start_text(session, language), language, "start")


@transaction.atomic
def answer_sms(family, text: str) -> Message | None:
    """A household's text: the answer to its current question, or the start of the month's
    survey. Returns the reply sent."""
    period = local_period(family.partner)
    expire_sessions(family.partner, period)
    language = family_language(family)
    with translation.override(language):
        survey = month_survey(family, period)
        if is_sent(survey):
            SmsSurveySession.objects.filter(
                family=family, period=period, state=SmsSurveySession.State.OPEN
            ).update(state=SmsSurveySession.State.DONE)
            session = SmsSurveySession(partner=family.partner, family=family, period=period)
            body = outcome_text(session, Turn("already_sent"), language)
            return send_sms(
                to=family.contact_phone,
                body=body,
                template=TEMPLATE,
                language=language,
                partner=family.partner,
                family=family,
            )
        session, started = open_session(family, period, SmsSurveySession.Channel.SMS)
        session.turn += 1
        if started:
            body = _start_text(session, language)
        else:
            try:
                turn = apply_answer(session, text, language)
            except ApplicationError:
                # Something the survey refused that a reply cannot fix: logged, and the
                # question asked again rather than the conversation left hanging.
                log.exception("sms survey answer refused", extra={"session": session.pk})
                turn = Turn("question")
            body = outcome_text(session, turn, language)
        session.last_activity_at = timezone.now()
        session.save()
        return _send(session, body, language, str(session.position))
