"""The survey by USSD (Africa's Talking): the same short survey and rules as by text message
(`messaging.survey_by_sms`), one screen per question.

The provider sends, on every screen, everything typed in the dialled session joined by `*`
(`1*2*350`; empty on the first screen). The session keeps how many of those inputs it has
handled, so a provider's retry of a screen changes nothing, and a new dial (a new provider
session id) continues where the household stopped. On a keypad `00` goes back and `#` skips.

Every screen, with its `CON ` or `END `, fits in `MAX_SCREEN` characters: the question's label
and the choices' labels are cut to fit when needed."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging import sms_answers
from messaging import survey_by_sms as conversation
from messaging.models import SmsSurveySession
from mutuality import formatting

log = logging.getLogger(__name__)

MAX_SCREEN = 182
MAX_INPUTS = 200  # a session of more inputs is not a family answering a survey


def _fit(prefix: str, label: str, rest: list[str]) -> str:
    """`prefix label` then the `rest` lines, the label cut so the screen fits."""
    tail = "".join("\n" + line for line in rest if line)
    room = MAX_SCREEN - len("CON ") - len(prefix) - len(tail)
    return prefix + sms_answers.shorten(label, max(room, 10)) + tail


def question_screen(session, questions, language: str, reason: str = "") -> str:
    question = questions[session.position]
    if question.type == "choice":
        # Choices first get the room they need (cut to 18 characters each when many).
        how = sms_answers.choice_list(question, language)
        if len(how) > 100:
            how = sms_answers.choice_list(question, language, limit=18)
    else:
        how = sms_answers.how_to_answer(question, language)
    keys = {"back": sms_answers.USSD_BACK, "skip": sms_answers.USSD_SKIP}
    if question.required:
        hint = _("%(back)s back") % keys if session.position else ""
    else:
        hint = _("%(back)s back, %(skip)s skip") % keys
    lines = [how, hint]
    if reason:
        lines.insert(0, sms_answers.shorten(reason, 60))
    screen = _fit(f"{session.position + 1}/{len(questions)} ", question.label, lines)
    if len(screen) + len("CON ") > MAX_SCREEN:
        screen = sms_answers.shorten(screen, MAX_SCREEN - len("CON "))
    return screen


def _end(text: str) -> str:
    return "END " + sms_answers.shorten(text, MAX_SCREEN - len("END "))


def _con(text: str) -> str:
    return "CON " + text


@transaction.atomic
def answer_ussd(*, partner, family, provider_session: str, text: str) -> str:
    """The next screen for `family`, `CON ...` or `END ...`."""
    period = conversation.local_period(partner)
    conversation.expire_sessions(partner, period)
    language = conversation.family_language(family)
    with translation.override(language):
        month = formatting.month_name(period)
        finished = SmsSurveySession.objects.filter(
            family=family,
            period=period,
            channel=SmsSurveySession.Channel.USSD,
            state=SmsSurveySession.State.DONE,
            ussd_session_id=provider_session[:100],
        ).first()
        if finished is not None:
            # The provider's retry of the last screen: the same thanks.
            return _end(conversation.outcome_text(finished, conversation.Turn("done"), language))
        if conversation.is_sent(conversation.month_survey(family, period)):
            return _end(
                _("Your survey for %(month)s is already sent. Thank you!") % {"month": month}
            )
        session, _started = conversation.open_session(family, period, SmsSurveySession.Channel.USSD)
        if session.ussd_session_id != provider_session:
            session.ussd_session_id, session.ussd_steps = provider_session[:100], 0
        inputs = text.split("*") if text else []
        new_inputs = inputs[session.ussd_steps : MAX_INPUTS]
        turn = conversation.Turn("question")
        for typed in new_inputs:
            session.turn += 1
            turn = conversation.apply_answer(session, typed, language)
            if turn.kind in {"done", "already_sent", "no_questions"}:
                break
        session.ussd_steps = max(session.ussd_steps, min(len(inputs), MAX_INPUTS))
        session.last_activity_at = timezone.now()
        session.save()
        if turn.kind in {"done", "already_sent", "no_questions"}:
            return _end(conversation.outcome_text(session, turn, language))
        questions = conversation.questions_of(session)
        if not questions:
            return _end(
                conversation.outcome_text(session, conversation.Turn("no_questions"), language)
            )
        return _con(question_screen(session, questions, language, turn.reason))


def unknown_number_screen(partner) -> str:
    """For a number of no household: nothing to answer, in the partner's first language."""
    with translation.override((partner.languages or ["en"])[0]):
        return _end(
            _("This phone number is not registered with %(partner)s.") % {"partner": partner.name}
        )
