"""Fetch surveys' objects by id for an actor, or 404 (the decisions are accounts.policy's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import NotFound
from surveys.models import PaymentBatch, Stipend, Story, SurveyResponse


def _not_found():
    return NotFound(_("Not found."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


def access_survey_for_family(seat: FamilySeat, survey_id) -> SurveyResponse:
    survey = (
        SurveyResponse.objects.filter(
            partner=seat.family.partner_id, family=seat.family, pk=_int(survey_id)
        )
        .select_related("template", "family", "cohort")
        .first()
    )
    if survey is None:
        raise _not_found()
    return survey


def access_survey_for_staff(seat: policy.Seat, survey_id) -> SurveyResponse:
    survey = (
        SurveyResponse.objects.filter(partner=seat.partner, pk=_int(survey_id))
        .select_related("template", "family", "cohort")
        .first()
    )
    if survey is None or not policy.can_view_cohort(seat, survey.cohort):
        raise _not_found()
    return survey


def access_story_for_family(seat: FamilySeat, story_id) -> Story:
    story = (
        Story.objects.filter(partner=seat.family.partner_id, pk=_int(story_id))
        .select_related("family")
        .first()
    )
    if story is None or not policy.family_can_read_story(seat.family, story):
        raise _not_found()
    return story


def access_story_for_staff(seat: policy.Seat, story_id) -> Story:
    story = (
        Story.objects.filter(partner=seat.partner, pk=_int(story_id))
        .select_related("family", "cohort")
        .first()
    )
    if story is None or not policy.can_view_cohort(seat, story.cohort):
        raise _not_found()
    return story


def access_stipend_for_staff(seat: policy.Seat, stipend_id) -> Stipend:
    stipend = (
        Stipend.objects.filter(partner=seat.partner, pk=_int(stipend_id))
        .select_related("family", "survey", "batch")
        .first()
    )
    if stipend is None:
        raise _not_found()
    return stipend


def access_batch(seat: policy.Seat, batch_id) -> PaymentBatch:
    batch = PaymentBatch.objects.filter(partner=seat.partner, pk=_int(batch_id)).first()
    if batch is None:
        raise _not_found()
    return batch
