"""Which questions of a partner's survey make the short survey asked by text message and USSD.

A family answers on a keypad, one reply per question: only questions answered with a number,
an amount, yes or no, or one choice fit, and ten at most keep the conversation short."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from mutuality.errors import InvalidInput
from surveys.models import Question, SurveyTemplate
from surveys.services.templates import current_template, new_version_of

SMS_QUESTION_TYPES = frozenset(
    {Question.Type.MONEY, Question.Type.NUMBER, Question.Type.YES_NO, Question.Type.CHOICE}
)
MAX_SMS_QUESTIONS = 10


def sms_questions(template: SurveyTemplate) -> list[Question]:
    """The short survey's questions, in the survey's order."""
    return [q for q in template.questions.all() if q.in_sms_survey]


@transaction.atomic
def template_set_sms_questions(*, seat: policy.Seat, keys: list[str]) -> SurveyTemplate:
    """Mark exactly `keys` of the partner's current survey for the SMS survey.

    Marking changes no question nor any answer, so a partner's own version is marked in place;
    the platform's default (shared by every partner) is never changed: the partner gets its own
    version first, as when it adds a question."""
    policy.require(seat, "survey.template_edit")
    template = current_template(seat.partner)
    questions = {q.key: q for q in template.questions.all()}
    keys = list(dict.fromkeys(keys or []))
    errors: list[str] = []
    unknown = [key for key in keys if key not in questions]
    if unknown:
        errors.append(
            _("The survey has no question with these keys: %(keys)s") % {"keys": ", ".join(unknown)}
        )
    unfit = [
        questions[k].label
        for k in keys
        if k in questions and questions[k].type not in SMS_QUESTION_TYPES
    ]
    if unfit:
        errors.append(
            _(
                "Only questions answered with an amount, a number, yes or no, or one choice "
                "can be asked by text message: %(labels)s"
            )
            % {"labels": "; ".join(unfit)}
        )
    if len(keys) > MAX_SMS_QUESTIONS:
        errors.append(
            _("Choose at most %(n)d questions for the SMS survey (you chose %(count)d).")
            % {"n": MAX_SMS_QUESTIONS, "count": len(keys)}
        )
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors={"sms_questions": errors})
    before = sorted(k for k, q in questions.items() if q.in_sms_survey)
    if before == sorted(keys):
        return template
    if template.partner_id is None:
        template = new_version_of(seat, template)
    template.questions.update(in_sms_survey=False)
    template.questions.filter(key__in=keys).update(in_sms_survey=True)
    audit_record(
        actor=seat.user,
        verb="survey_template.sms_questions",
        obj=template,
        partner=seat.partner,
        before={"version": template.version, "sms_questions": before},
        after={"version": template.version, "sms_questions": sorted(keys)},
    )
    return template
