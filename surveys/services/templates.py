"""Survey versions: the platform default, and partners' own versions that extend it."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Partner
from accounts.services import audit_record
from mutuality.errors import Conflict, InvalidInput
from surveys.defaults import (
    DEFAULT_PRACTICES,
    DEFAULT_QUESTIONS,
    PRACTICE_DESCRIPTIONS,
    SMS_SURVEY_KEYS,
)
from surveys.models import Practice, Question, SurveyTemplate


def ensure_default_practices() -> None:
    if Practice.objects.filter(partner=None).exists():
        return
    try:
        with transaction.atomic():
            Practice.objects.bulk_create(
                Practice(
                    partner=None,
                    slug=slug,
                    names=names,
                    descriptions=PRACTICE_DESCRIPTIONS.get(slug, {}),
                )
                for slug, names in DEFAULT_PRACTICES
            )
    except IntegrityError:
        pass  # created meanwhile by another request


def default_template() -> SurveyTemplate:
    """The platform's current default version, created on first use."""
    template = SurveyTemplate.objects.filter(partner=None, is_current=True).first()
    if template is not None:
        return template
    ensure_default_practices()
    try:
        with transaction.atomic():
            template = SurveyTemplate.objects.create(partner=None, version=1, is_current=True)
            Question.objects.bulk_create(
                Question(
                    template=template,
                    key=key,
                    type=type_,
                    section=section,
                    position=position,
                    required=required,
                    labels=labels,
                    help_texts=help_texts,
                    choices=choices,
                    min_value=min_value,
                    max_value=max_value,
                    in_sms_survey=key in SMS_SURVEY_KEYS,
                )
                for position, (
                    key,
                    type_,
                    section,
                    required,
                    labels,
                    help_texts,
                    choices,
                    min_value,
                    max_value,
                ) in enumerate(DEFAULT_QUESTIONS)
            )
    except IntegrityError:
        template = SurveyTemplate.objects.get(partner=None, is_current=True)
    return template


def current_template(partner: Partner) -> SurveyTemplate:
    return (
        SurveyTemplate.objects.filter(partner=partner, is_current=True).first()
        or default_template()
    )


@transaction.atomic
def template_add_question(
    *,
    seat: policy.Seat,
    key: str,
    type: str,
    labels: dict[str, str],
    help_texts: dict[str, str] | None = None,
    choices: list[dict] | None = None,
    required: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
) -> SurveyTemplate:
    """A new version of the partner's survey with one more question. Earlier versions, and the
    answers given in them, stay as they were."""
    policy.require(seat, "survey.template_edit")
    base = current_template(seat.partner)
    key = (key or "").strip().lower()
    errors = {}
    if not key or not key.replace("_", "").isalnum():
        errors["key"] = [_("Use lowercase letters, digits and underscores.")]
    elif base.questions.filter(key=key).exists():
        errors["key"] = [_("The survey already has a question with this key.")]
    if type not in Question.Type.values:
        errors["type"] = [_("Choose a question type.")]
    missing = [code for code in seat.partner.languages if not (labels or {}).get(code, "").strip()]
    if missing:
        errors["labels"] = [
            _("Write the question in every language of the partner: %(codes)s")
            % {"codes": ", ".join(missing)}
        ]
    if type in {Question.Type.CHOICE, Question.Type.MULTI_CHOICE} and not choices:
        errors["choices"] = [_("Give the choices.")]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    template = new_version_of(seat, base)
    Question.objects.create(
        template=template,
        key=key,
        type=type,
        section="partner",
        position=template.questions.count() + 1,
        required=required,
        labels={k: v.strip() for k, v in labels.items()},
        help_texts=help_texts or {},
        choices=choices or [],
        min_value=min_value,
        max_value=max_value,
    )
    audit_record(
        actor=seat.user,
        verb="survey_template.add_question",
        obj=template,
        partner=seat.partner,
        after={"version": template.version, "key": key, "type": type},
    )
    return template


def new_version_of(seat, base: SurveyTemplate) -> SurveyTemplate:
    """The partner's next version, current from now on, with `base`'s questions copied (the
    caller holds the transaction; a concurrent new version is a conflict)."""
    latest = (
        SurveyTemplate.objects.select_for_update()
        .filter(partner=seat.partner)
        .order_by("-version")
        .first()
    )
    SurveyTemplate.objects.filter(partner=seat.partner, is_current=True).update(is_current=False)
    try:
        with transaction.atomic():
            template = SurveyTemplate.objects.create(
                partner=seat.partner,
                # Numbering continues from the version it extends: the default's v1 becomes v2.
                version=max(latest.version if latest else 0, base.version) + 1,
                is_current=True,
                created_by=seat.user,
            )
    except IntegrityError as exc:
        raise Conflict(_("Someone else changed the survey just now. Try again.")) from exc
    Question.objects.bulk_create(
        Question(
            template=template,
            key=q.key,
            type=q.type,
            section=q.section,
            position=q.position,
            required=q.required,
            labels=q.labels,
            help_texts=q.help_texts,
            choices=q.choices,
            min_value=q.min_value,
            max_value=q.max_value,
            in_sms_survey=q.in_sms_survey,
        )
        for q in base.questions.all()
    )
    return template
