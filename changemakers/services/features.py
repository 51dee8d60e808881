"""Writes for Everyday Changemakers: nominate, the families' consent, publish, take down, and the
platform admins' international pick.

Staff write everything that would be published at nomination (headline, story, photo, region,
country, practice); the families asked see exactly that, and may change the words before they
accept. A feature is published only with everyone's consent, and any family asked may withdraw
it at any time: it is gone at once and never comes back. A decline ends it too, and since a
candidate is one subject in one month, staff cannot ask again that month.
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts import policy
from accounts.services import audit_record
from changemakers.models import Candidate, Feature, FeatureConsent
from changemakers.selectors import features as selectors
from families.access import FamilySeat
from families.forms.family import validate_photo
from mutuality.errors import Conflict, InvalidInput, NotFound, validated
from surveys.models import Practice

# Every gallery photo is re-encoded to this size (padded, never cropped): pages can give
# width and height up front, and a cheap phone downloads tens of kilobytes, not megabytes.
PHOTO_WIDTH, PHOTO_HEIGHT = 640, 480
PHOTO_BACKGROUND = (243, 245, 247)
HEADLINE_MAX, STORY_MAX, REGION_MAX = 140, 4000, 200
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _not_found() -> NotFound:
    return NotFound(_("Not found."))


def _text_errors(headline: str, story: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not headline:
        errors["headline"] = [_("Write a headline.")]
    elif len(headline) > HEADLINE_MAX:
        errors["headline"] = [_("Keep the headline to %(n)d characters.") % {"n": HEADLINE_MAX}]
    if not story:
        errors["story"] = [_("Write the story.")]
    elif len(story) > STORY_MAX:
        errors["story"] = [_("Keep the story to %(n)d characters.") % {"n": STORY_MAX}]
    return errors


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)


def gallery_photo(upload) -> ContentFile:
    """The picture as the gallery shows it: checked, turned upright, padded to 640x480 and
    re-encoded as a JPEG from its pixels alone (no location or camera metadata)."""
    try:
        validate_photo(upload)
    except ValidationError as exc:
        raise InvalidInput.for_field("photo", exc.messages[0]) from None
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGBA")
            # Transparent parts take the page's background rather than turning black.
            flat = Image.new("RGB", image.size, PHOTO_BACKGROUND)
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
            framed = ImageOps.pad(
                image, (PHOTO_WIDTH, PHOTO_HEIGHT), color=PHOTO_BACKGROUND, method=Image.LANCZOS
            )
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise InvalidInput.for_field(
            "photo", _("This file is not a photo we can read. Send a JPEG, PNG or WebP picture.")
        ) from None
    out = io.BytesIO()
    framed.save(out, format="JPEG", quality=80, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _forget_photo(feature: Feature) -> None:
    """A declined or withdrawn feature is never shown again: its photo is deleted once the
    change is committed (and the field cleared in the same save as the new state)."""
    if not feature.photo:
        return
    storage, name = feature.photo.storage, feature.photo.name
    feature.photo = ""
    transaction.on_commit(lambda: storage.delete(name))


def _snapshot(feature: Feature) -> dict:
    return {
        "state": feature.state,
        "headline": feature.headline,
        "story": feature.story,
        "is_international": feature.is_international,
    }


def _locked_feature(feature: Feature) -> Feature:
    # Families of a group answer at the same time; staff may publish while a family withdraws.
    # (Only the feature's row: not the partner's, which unrelated work also touches.)
    return (
        Feature.objects.select_for_update(of=("self",)).select_related("partner").get(pk=feature.pk)
    )


# Staff ---------------------------------------------------------------------------------------


@transaction.atomic
def feature_nominate(
    *,
    seat: policy.Seat,
    candidate: Candidate,
    headline: str,
    story: str,
    photo=None,
    region: str | None = None,
    country: str | None = None,
    practice: Practice | None = None,
) -> Feature:
    """Staff propose what would be published about a candidate and ask the family (every
    family of a group, every owner family of a venture) for consent. Region defaults to the
    cohort's, country to the partner's. A candidate is nominated once: after a decline,
    nobody asks again."""
    policy.require(seat, "changemakers.review")
    if candidate.partner_id != seat.partner.pk:
        raise _not_found()
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(partner=seat.partner, pk=candidate.pk)
        .first()
    )
    if candidate is None or not policy.can_view_cohort(seat, candidate.cohort):
        raise _not_found()
    if (
        candidate.state == Candidate.State.NOMINATED
        or Feature.objects.filter(candidate=candidate).exists()
    ):
        raise Conflict(
            _(
                "This candidate was already nominated. If the family declined, it ends there: "
                "they are not asked again."
            )
        )
    if candidate.state == Candidate.State.DISMISSED:
        raise Conflict(_("This candidate was dismissed."))

    headline = (headline or "").strip()
    story = (story or "").strip()
    region = (candidate.cohort.region if region is None else region).strip()
    country = (seat.partner.country if country is None else country).strip().upper()
    errors = _text_errors(headline, story)
    if len(region) > REGION_MAX:
        errors["region"] = [_("Keep the region to %(n)d characters.") % {"n": REGION_MAX}]
    if not COUNTRY_CODE.match(country):
        errors["country"] = [_("Use a two-letter ISO 3166 country code.")]
    if practice is not None and (
        practice.partner_id not in (None, seat.partner.pk) or not practice.is_active
    ):
        errors["practice"] = [_("Choose a practice from the catalogue.")]
    _raise_if(errors)
    families = selectors.families_to_ask(candidate)
    if not families:
        raise Conflict(_("Nobody could be asked for consent: this candidate has no family."))

    feature = Feature(
        partner=seat.partner,
        cohort=candidate.cohort,
        candidate=candidate,
        headline=headline,
        story=story,
        region=region,
        country=country,
        practice=practice,
        nominated_by=seat.user,
    )
    if photo:
        feature.photo = gallery_photo(photo)
    validated(feature, constraints=False)
    feature.save()
    FeatureConsent.objects.bulk_create(
        [FeatureConsent(partner=seat.partner, feature=feature, family=f) for f in families]
    )
    before = candidate.state
    candidate.state = Candidate.State.NOMINATED
    candidate.decided_by = seat.user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=seat.user,
        verb="candidate.nominate",
        obj=candidate,
        partner=seat.partner,
        before={"state": before},
        after={"state": candidate.state, "feature": feature.pk},
    )
    audit_record(
        actor=seat.user,
        verb="feature.nominate",
        obj=feature,
        partner=seat.partner,
        after={
            **_snapshot(feature),
            "candidate": candidate.pk,
            "region": region,
            "country": country,
            "practice": practice.slug if practice else None,
            "photo": bool(feature.photo),
            "families_asked": [f.pk for f in families],
        },
    )
    return feature


@transaction.atomic
def feature_publish(*, seat: policy.Seat, feature: Feature) -> Feature:
    """Put a feature every family consented to in the public gallery, as they saw it."""
    policy.require(seat, "changemakers.publish")
    if feature.partner_id != seat.partner.pk:
        raise _not_found()
    feature = _locked_feature(feature)
    states = list(FeatureConsent.objects.filter(feature=feature).values_list("state", flat=True))
    if feature.state == Feature.State.PUBLISHED:
        raise Conflict(_("This Everyday Changemaker is already published."))
    if feature.state != Feature.State.CONSENTED or not states:
        raise Conflict(_("Only a feature every family asked consented to can be published."))
    if any(state != FeatureConsent.State.ACCEPTED for state in states):
        raise Conflict(_("Not every family asked consents to this feature any more."))
    before = _snapshot(feature)
    feature.state = Feature.State.PUBLISHED
    feature.published_by = seat.user
    feature.published_at = timezone.now()
    feature.save(update_fields=["state", "published_by", "published_at", "updated_at"])
    audit_record(
        actor=seat.user,
        verb="feature.publish",
        obj=feature,
        partner=seat.partner,
        before=before,
        after=_snapshot(feature),
    )
    return feature


@transaction.atomic
def feature_take_down(*, seat: policy.Seat, feature: Feature, reason: str = "") -> Feature:
    """Staff take a published feature out of the gallery. The families' consent stands, so
    staff may publish it again; the international pick does not."""
    policy.require(seat, "changemakers.publish")
    if feature.partner_id != seat.partner.pk:
        raise _not_found()
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise InvalidInput.for_field("reason", _("Keep the reason to 500 characters."))
    feature = _locked_feature(feature)
    if feature.state != Feature.State.PUBLISHED:
        raise Conflict(_("Only a published feature can be taken down."))
    before = _snapshot(feature)
    feature.state = Feature.State.CONSENTED
    feature.published_at = None
    feature.is_international = False
    feature.save(update_fields=["state", "published_at", "is_international", "updated_at"])
    audit_record(
        actor=seat.user,
        verb="feature.take_down",
        obj=feature,
        partner=seat.partner,
        before=before,
        after={**_snapshot(feature), "reason": reason},
    )
    return feature


# Platform admins -------------------------------------------------------------------------------


@transaction.atomic
def feature_set_international(*, actor, feature: Feature, international: bool) -> Feature:
    """Platform admins pick a public feature for the global gallery, or unpick it."""
    policy.require_platform_admin(actor)
    feature = _locked_feature(feature)
    states = FeatureConsent.objects.filter(feature=feature).values_list("state", flat=True)
    if not policy.feature_is_public(feature, states):
        raise Conflict(_("Only a published Everyday Changemaker can be picked."))
    international = bool(international)
    if feature.is_international == international:
        return feature
    before = _snapshot(feature)
    feature.is_international = international
    feature.save(update_fields=["is_international", "updated_at"])
    audit_record(
        actor=actor,
        verb="feature.international" if international else "feature.not_international",
        obj=feature,
        partner=feature.partner,
        before=before,
        after=_snapshot(feature),
    )
    return feature


# Families ---------------------------------------------------------------------------------------


def _locked_consent(seat: FamilySeat, feature: Feature) -> tuple[Feature, FeatureConsent]:
    if feature.partner_id != seat.family.partner_id:
        raise _not_found()
    feature = _locked_feature(feature)
    consent = (
        FeatureConsent.objects.select_for_update()
        .filter(feature=feature, family=seat.family)
        .first()
    )
    if consent is None:
        raise _not_found()
    return feature, consent


def _refuse_closed(feature: Feature) -> None:
    if feature.state == Feature.State.DECLINED:
        raise Conflict(_("This feature was declined: it will not be published."))
    if feature.state == Feature.State.WITHDRAWN:
        raise Conflict(_("Consent to this feature was withdrawn: it will not be published."))


def _answer(consent: FeatureConsent, seat: FamilySeat, state: str) -> None:
    consent.state = state
    consent.answered_by = seat.user
    consent.answered_at = timezone.now()
    consent.save(update_fields=["state", "answered_by", "answered_at"])


@transaction.atomic
def feature_consent_accept(
    *,
    seat: FamilySeat,
    feature: Feature,
    headline: str | None = None,
    story: str | None = None,
) -> FeatureConsent:
    """The family agrees to be featured as shown, or with their own words for the headline
    and story. Changed words go back to the other families asked: their acceptances return
    to pending. Once every family accepted, staff may publish."""
    feature, consent = _locked_consent(seat, feature)
    _refuse_closed(feature)
    if feature.state != Feature.State.ASKING:
        raise Conflict(
            _("Every family asked already consented; to stop it, withdraw your consent.")
        )
    new_headline = feature.headline if headline is None else headline.strip()
    new_story = feature.story if story is None else story.strip()
    _raise_if(_text_errors(new_headline, new_story))
    edited = (new_headline, new_story) != (feature.headline, feature.story)
    if not edited and consent.state == FeatureConsent.State.ACCEPTED:
        return consent  # accepted already (a second tap): nothing changes
    before = _snapshot(feature)
    if edited:
        feature.headline, feature.story = new_headline, new_story
        feature.save(update_fields=["headline", "story", "updated_at"])
        # (The feature's row lock keeps the other families' answers still meanwhile.)
        others = FeatureConsent.objects.filter(
            feature=feature, state=FeatureConsent.State.ACCEPTED
        ).exclude(pk=consent.pk)
        reset = list(others.values_list("family_id", flat=True))
        others.update(state=FeatureConsent.State.PENDING, answered_by=None, answered_at=None)
        audit_record(
            actor=seat.user,
            verb="feature.edit_by_family",
            obj=feature,
            partner=feature.partner,
            before=before,
            after={**_snapshot(feature), "family": seat.family.pk, "asked_again": reset},
        )
    consent_before = consent.state
    _answer(consent, seat, FeatureConsent.State.ACCEPTED)
    audit_record(
        actor=seat.user,
        verb="feature_consent.accept",
        obj=consent,
        partner=feature.partner,
        before={"state": consent_before},
        after={"state": consent.state, "feature": feature.pk, "edited": edited},
    )
    states = FeatureConsent.objects.filter(feature=feature).values_list("state", flat=True)
    if all(state == FeatureConsent.State.ACCEPTED for state in states):
        feature.state = Feature.State.CONSENTED
        feature.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=seat.user,
            verb="feature.consented",
            obj=feature,
            partner=feature.partner,
            before={"state": Feature.State.ASKING},
            after={"state": feature.state},
        )
    return consent


def _end_by_family(
    seat: FamilySeat, feature: Feature, consent: FeatureConsent, *, consent_state, feature_state
) -> None:
    """A family's no (a decline, or a withdrawal later) ends the feature for good: its photo
    is deleted and it leaves the galleries. Both answers are audited."""
    before = _snapshot(feature)
    consent_before = consent.state
    _answer(consent, seat, consent_state)
    feature.state = feature_state
    fields = ["state", "photo", "updated_at"]
    if feature_state == Feature.State.WITHDRAWN:
        feature.withdrawn_at = consent.answered_at
        feature.is_international = False
        fields += ["withdrawn_at", "is_international"]
    _forget_photo(feature)
    feature.save(update_fields=fields)
    verb = "decline" if consent_state == FeatureConsent.State.DECLINED else "withdraw"
    audit_record(
        actor=seat.user,
        verb=f"feature_consent.{verb}",
        obj=consent,
        partner=feature.partner,
        before={"state": consent_before},
        after={"state": consent.state, "feature": feature.pk},
    )
    audit_record(
        actor=seat.user,
        verb=f"feature.{feature_state}",
        obj=feature,
        partner=feature.partner,
        before=before,
        after={**_snapshot(feature), "family": seat.family.pk},
    )


@transaction.atomic
def feature_consent_decline(*, seat: FamilySeat, feature: Feature) -> FeatureConsent:
    """The family says no. It ends there: the feature is never published, and nobody may
    nominate that candidate again."""
    feature, consent = _locked_consent(seat, feature)
    _refuse_closed(feature)
    if feature.state != Feature.State.ASKING:
        raise Conflict(
            _("Every family asked already consented; to stop it, withdraw your consent.")
        )
    if consent.state != FeatureConsent.State.PENDING:
        raise Conflict(_("You accepted this feature; to stop it, withdraw your consent."))
    _end_by_family(
        seat,
        feature,
        consent,
        consent_state=FeatureConsent.State.DECLINED,
        feature_state=Feature.State.DECLINED,
    )
    return consent


@transaction.atomic
def feature_consent_withdraw(*, seat: FamilySeat, feature: Feature) -> FeatureConsent:
    """The family takes its consent back, before or after publication. The feature leaves
    the gallery, its page, its photo and the API at once, and is never published again."""
    feature, consent = _locked_consent(seat, feature)
    _refuse_closed(feature)
    if consent.state != FeatureConsent.State.ACCEPTED:
        raise Conflict(_("You have not accepted this feature; you may decline it instead."))
    _end_by_family(
        seat,
        feature,
        consent,
        consent_state=FeatureConsent.State.WITHDRAWN,
        feature_state=Feature.State.WITHDRAWN,
    )
    return consent
