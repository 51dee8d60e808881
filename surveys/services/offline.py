"""Surveys sent from a client's queue: the phone's offline store, or ODK Collect.

Such a client sends again whenever it is unsure the first send arrived (a dropped connection,
a reload, a new version of the page's script), each time with the UUID it made for the survey.
So the UUID decides: the first send makes the survey; the same send again finds it and changes
nothing; the same UUID with other answers is a conflict, as is a new UUID for a month that has
a survey already (the body names that survey). Nothing is ever made twice.
"""

from __future__ import annotations

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput
from surveys.models import SurveyResponse
from surveys.services.responses import clean_answers, parse_period, survey_create


def parse_client_uuid(value) -> uuid.UUID:
    """A UUID as a client writes it ("uuid:" first, as ODK does, or not); a 400 naming
    `client_uuid` otherwise."""
    text = str(value or "").strip()
    if text.lower().startswith("uuid:"):
        text = text[5:]
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput.for_field(
            "client_uuid", _("Send the survey's own identifier, a UUID.")
        ) from None


def _as_stored(answers: dict) -> dict:
    # The answers as the database gives them back (amounts as text), to compare like with like.
    kept = {key: value for key, value in answers.items() if value is not None}
    return json.loads(json.dumps(kept, cls=DjangoJSONEncoder))


def _is_the_same_send(survey: SurveyResponse, *, period, answers: dict, submit: bool) -> bool:
    """What the client sends again is what made the survey: the same month and answers (as
    first saved, whatever happened to the survey since), and sent or kept a draft alike."""
    if parse_period(period) != survey.period:
        return False
    cleaned = clean_answers(
        template=survey.template, answers=answers, partner=survey.family.partner
    )
    first = survey.revisions.order_by("number").first() or survey  # the first send's save
    was_sent = first.state != SurveyResponse.State.DRAFT
    return _as_stored(cleaned) == first.answers and was_sent == submit


def survey_send_once(
    *,
    seat: FamilySeat,
    client_uuid,
    period,
    answers: dict,
    submit: bool,
    channel: str,
) -> tuple[SurveyResponse, bool]:
    """The survey the client's UUID names, and True when this send made it."""
    key = parse_client_uuid(client_uuid)
    found = SurveyResponse.objects.filter(family=seat.family, client_uuid=key).first()
    if found is None:
        try:
            return (
                survey_create(
                    seat=seat,
                    period=period,
                    answers=answers,
                    submit=submit,
                    channel=channel,
                    client_uuid=key,
                ),
                True,
            )
        except Conflict:
            # Two sends of the same survey at once: the other one made it. Otherwise the
            # month has another survey, and the conflict names it.
            found = SurveyResponse.objects.filter(family=seat.family, client_uuid=key).first()
            if found is None:
                raise
    if not _is_the_same_send(found, period=period, answers=answers, submit=submit):
        message = _("This survey was already sent with other answers.")
        raise Conflict(message, errors={"client_uuid": [message]}, extra={"survey": found.pk})
    return found, False
