"""Fetch surveys' objects by id for an actor, or 404 (the decisions are accounts.policy's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import policy
from families.access import FamilySeat
from mutuality.errors import NotFound
from surveys.models import ActionReport, PaymentBatch, Stipend, Story, SurveyResponse


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
        .exclude(state=SurveyResponse.State.DRAFT)  # a draft is the family's until sent
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


# Staff and liaisons, from an object's id ------------------------------------------------------
# The API's URLs carry no partner: the object names it, and the caller must hold a membership
# there and be allowed to see the object's cohort. Same 404 for missing and not theirs.


def _staff_seat_for(user, queryset, object_id):
    if not user.is_authenticated:
        raise _not_found()
    found = queryset.filter(partner__memberships__user=user, pk=_int(object_id)).first()
    if found is None:
        raise _not_found()
    seat = policy.seat_for(user, found.partner)
    if seat is None or not policy.can_view_cohort(seat, found.cohort):
        raise _not_found()
    return seat, found


def staff_seat_for_survey(user, survey_id) -> tuple[policy.Seat, SurveyResponse]:
    """The user's seat in the survey's partner and the survey, if they may see its cohort."""
    return _staff_seat_for(
        user,
        SurveyResponse.objects.exclude(state=SurveyResponse.State.DRAFT).select_related(
            "partner", "template", "family", "cohort"
        ),
        survey_id,
    )


def staff_seat_for_story(user, story_id) -> tuple[policy.Seat, Story]:
    """The user's seat in the story's partner and the story, if they may see its cohort."""
    return _staff_seat_for(
        user, Story.objects.select_related("partner", "family", "cohort"), story_id
    )


def access_action_report_for_family(seat: FamilySeat, report_id) -> ActionReport:
    """One of the family's own action reports (a practice it reported); 404 for any other."""
    report = (
        ActionReport.objects.filter(
            partner=seat.family.partner_id, family=seat.family, pk=_int(report_id)
        )
        .select_related("practice")
        .first()
    )
    if report is None:
        raise _not_found()
    return report
