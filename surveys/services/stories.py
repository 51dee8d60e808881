"""Families tell their stories and choose who may read them; public needs explicit consent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.services import audit_record
from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated
from surveys.models import Story, StoryPhoto

MAX_PHOTOS = 4


def _visibility(visibility: str, public_consent: bool) -> str:
    if visibility not in Story.Visibility.values:
        raise InvalidInput.for_field("visibility", _("Choose who may read your story."))
    if visibility == Story.Visibility.PUBLIC and not public_consent:
        raise InvalidInput.for_field(
            "public_consent",
            _("To make a story public, confirm that anyone may read it, with your family's name."),
        )
    return visibility


@transaction.atomic
def story_create(
    *,
    seat: FamilySeat,
    title: str,
    body: str,
    visibility: str = Story.Visibility.GROUP,
    public_consent: bool = False,
    photos=(),
) -> Story:
    family = seat.family
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give your story a title.")]
    if not (body or "").strip():
        errors["body"] = [_("Tell your story.")]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}]
    try:
        visibility = _visibility(visibility, public_consent)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    story = Story(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        family=family,
        author=seat.user,
        title=title.strip(),
        body=body.strip(),
        visibility=visibility,
        public_consent_at=timezone.now() if visibility == Story.Visibility.PUBLIC else None,
    )
    validated(story)
    story.save()
    for photo in photos:
        StoryPhoto.objects.create(partner_id=family.partner_id, story=story, image=photo)
    audit_record(
        actor=seat.user,
        verb="story.create",
        obj=story,
        partner=family.partner,
        after={"visibility": visibility, "photos": len(photos)},
    )
    return story


@transaction.atomic
def story_set_visibility(
    *, seat: FamilySeat, story: Story, visibility: str, public_consent: bool = False
) -> Story:
    """The family changes who may read it; taking it out of public withdraws consent at once."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.family_id != seat.family.pk:
        raise NotAllowed(_("Only the family that told a story chooses who reads it."))
    before = story.visibility
    story.visibility = _visibility(visibility, public_consent)
    if story.visibility == Story.Visibility.PUBLIC:
        story.public_consent_at = story.public_consent_at or timezone.now()
    else:
        story.public_consent_at = None
    story.save(update_fields=["visibility", "public_consent_at"])
    audit_record(
        actor=seat.user,
        verb="story.visibility",
        obj=story,
        partner=seat.family.partner,
        before={"visibility": before},
        after={"visibility": story.visibility},
    )
    return story


@transaction.atomic
def story_verify(*, seat: policy.Seat, story: Story) -> Story:
    policy.require(seat, "survey.verify")
    if story.partner_id != seat.partner.pk or not policy.can_view_cohort(seat, story.cohort):
        raise NotAllowed(_("You verify stories of your own cohorts only."))
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.state == Story.State.VERIFIED:
        raise Conflict(_("This story is already verified."))
    story.state = Story.State.VERIFIED
    story.verified_at = timezone.now()
    story.save(update_fields=["state", "verified_at"])
    audit_record(
        actor=seat.user,
        verb="story.verify",
        obj=story,
        partner=seat.partner,
        before={"state": "submitted"},
        after={"state": "verified"},
    )
    return story
