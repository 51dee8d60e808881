"""Reads for Everyday Changemakers: the public gallery, a family's consent requests, and the
staff's features.

What the public sees is decided by one rule, `policy.feature_is_public`: published, and every
family asked still consents. The gallery's query says the same in SQL, and each page's entries
are checked again against the rule (their consents come prefetched), so a withdrawal hides a
feature on the very next request. Nothing here is cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import policy
from changemakers.models import Candidate, Feature, FeatureConsent
from families.access import FamilySeat
from families.models import Family
from mutuality.errors import NotFound
from surveys.models import in_language

# While these last, the partner's staff and the families asked may look at the page and the
# photo before (or while) the public does. A declined or withdrawn feature is nobody's to see.
PREVIEW_STATES = frozenset({Feature.State.ASKING, Feature.State.CONSENTED, Feature.State.PUBLISHED})


def _not_found() -> NotFound:
    return NotFound(_("Not found."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


def _consent_states() -> Prefetch:
    return Prefetch("consents", queryset=FeatureConsent.objects.only("id", "feature_id", "state"))


def consent_states(feature: Feature) -> list[str]:
    """The answers of the families asked (from the prefetch when there is one)."""
    return [consent.state for consent in feature.consents.all()]


def is_public(feature: Feature) -> bool:
    return policy.feature_is_public(feature, consent_states(feature))


# The public gallery ----------------------------------------------------------------------------


def _public_in_sql(queryset: QuerySet[Feature]) -> QuerySet[Feature]:
    """`policy.feature_is_public` as a filter: published, someone was asked, and nobody asked
    has anything but a standing acceptance."""
    not_accepted = FeatureConsent.objects.filter(feature=OuterRef("pk")).exclude(
        state=FeatureConsent.State.ACCEPTED
    )
    asked = FeatureConsent.objects.filter(feature=OuterRef("pk"))
    return queryset.filter(state=Feature.State.PUBLISHED).filter(
        Exists(asked), ~Exists(not_accepted)
    )


def gallery_features(*, country: str = "", region: str = "", practice: str = "") -> QuerySet:
    """Everyday Changemakers the public may see, the platform admins' international picks
    first, then the newest. Filters: a country code, a region (any case), a practice slug.
    A fixed number of queries whatever the page's length (the list, and the consents)."""
    features = _public_in_sql(Feature.objects.all())
    if country:
        features = features.filter(country=country.upper())
    if region:
        features = features.filter(region__iexact=region)
    if practice:
        features = features.filter(practice__slug=practice)
    return (
        features.select_related("partner", "practice", "candidate")
        .prefetch_related(_consent_states())
        .order_by("-is_international", "-published_at", "-id")
    )


def only_public(features) -> list[Feature]:
    """A page's entries, each checked against the policy once more."""
    return [feature for feature in features if is_public(feature)]


@dataclass(frozen=True)
class GalleryOptions:
    countries: list[str]
    regions: list[str]
    practices: list[tuple[str, str]]  # (slug, name in the active language)


def gallery_options() -> GalleryOptions:
    """The countries, regions and practices that public entries have: the filters' choices
    (one query)."""
    rows = (
        _public_in_sql(Feature.objects.all())
        .values_list("country", "region", "practice__slug", "practice__names")
        .distinct()
    )
    countries, regions, practices = set(), {}, {}
    for country, region, slug, names in rows:
        countries.add(country)
        if region:
            regions.setdefault(region.lower(), region)
        if slug:
            practices[slug] = in_language(names or {}) or slug
    return GalleryOptions(
        countries=sorted(countries),
        regions=sorted(regions.values(), key=str.lower),
        practices=sorted(practices.items(), key=lambda item: item[1].lower()),
    )


def _viewer_may_preview(user, feature: Feature) -> bool:
    """The partner's staff (who nominate and publish) and the families asked."""
    if feature.state not in PREVIEW_STATES or not user.is_authenticated:
        return False
    seat = policy.seat_for(user, feature.partner)
    if seat is not None and seat.can("changemakers.review"):
        return True
    return feature.consents.filter(family__members__user=user).exists()


def feature_for_viewer(user, feature_id) -> tuple[Feature, bool]:
    """(feature, is public) for a gallery page, its photo or the API: a public feature for
    anyone; a preview for the partner's staff and the families asked; else 404."""
    feature = (
        Feature.objects.filter(pk=_int(feature_id))
        .select_related("partner", "practice", "candidate")
        .prefetch_related(_consent_states())
        .first()
    )
    if feature is None:
        raise _not_found()
    if is_public(feature):
        return feature, True
    if _viewer_may_preview(user, feature):
        return feature, False
    raise _not_found()


# Families --------------------------------------------------------------------------------------


def family_consents(family: Family) -> QuerySet[FeatureConsent]:
    """Every request to feature this family, the newest first."""
    return (
        FeatureConsent.objects.filter(partner=family.partner_id, family=family)
        .select_related("feature", "feature__partner", "feature__practice", "feature__candidate")
        .order_by("-feature__created_at", "-id")
    )


def family_waiting(family: Family) -> QuerySet[FeatureConsent]:
    return family_consents(family).filter(
        state=FeatureConsent.State.PENDING, feature__state=Feature.State.ASKING
    )


def family_consent_counts(family: Family) -> dict:
    """{"waiting": requests to answer, "total": every request}, in one query."""
    waiting = Q(state=FeatureConsent.State.PENDING, feature__state=Feature.State.ASKING)
    counts = FeatureConsent.objects.filter(partner=family.partner_id, family=family).aggregate(
        waiting=Count("id", filter=waiting), total=Count("id")
    )
    return {"waiting": counts["waiting"] or 0, "total": counts["total"] or 0}


def family_consent(seat: FamilySeat, feature_id) -> FeatureConsent:
    """This family's request for one feature; 404 for a family that was not asked."""
    consent = (
        FeatureConsent.objects.filter(
            partner=seat.family.partner_id, family=seat.family, feature_id=_int(feature_id)
        )
        .select_related("feature", "feature__partner", "feature__practice", "feature__candidate")
        .first()
    )
    if consent is None:
        raise _not_found()
    return consent


def other_answers(consent: FeatureConsent) -> QuerySet[FeatureConsent]:
    """The other families' answers to the same feature (for a group or venture)."""
    return (
        FeatureConsent.objects.filter(partner=consent.partner_id, feature=consent.feature_id)
        .exclude(pk=consent.pk)
        .select_related("family")
        .order_by("family__name", "pk")
    )


# Staff -----------------------------------------------------------------------------------------


def staff_candidate(seat: policy.Seat, candidate_id) -> Candidate:
    candidate = (
        Candidate.objects.filter(partner=seat.partner, pk=_int(candidate_id))
        .select_related("cohort", "family", "group", "venture")
        .first()
    )
    if candidate is None or not policy.can_view_cohort(seat, candidate.cohort):
        raise _not_found()
    return candidate


def families_to_ask(candidate: Candidate) -> list[Family]:
    """Whose consent a feature of this candidate needs: the family; every family of the
    group; every owner family of the venture."""
    families = Family.objects.filter(partner=candidate.partner_id)
    if candidate.kind == Candidate.Kind.FAMILY:
        families = families.filter(pk=candidate.family_id) if candidate.family_id else None
    elif candidate.kind == Candidate.Kind.GROUP:
        families = families.filter(group=candidate.group_id) if candidate.group_id else None
    elif candidate.kind == Candidate.Kind.VENTURE:
        families = families.filter(ventures=candidate.venture_id) if candidate.venture_id else None
    else:
        families = None
    return [] if families is None else list(families.order_by("name", "pk"))


def subject_name(candidate: Candidate) -> str:
    subject = candidate.family or candidate.group or candidate.venture
    return subject.name if subject is not None else candidate.subject_key


def staff_features(seat: policy.Seat) -> QuerySet[Feature]:
    """The partner's features, newest first, with how many families were asked and accepted."""
    return (
        Feature.objects.filter(partner=seat.partner)
        .select_related(
            "cohort",
            "practice",
            "candidate",
            "candidate__family",
            "candidate__group",
            "candidate__venture",
        )
        .annotate(
            asked=Count("consents"),
            accepted=Count("consents", filter=Q(consents__state=FeatureConsent.State.ACCEPTED)),
        )
        .order_by("-created_at", "-id")
    )


def staff_feature(seat: policy.Seat, feature_id) -> Feature:
    feature = (
        Feature.objects.filter(partner=seat.partner, pk=_int(feature_id))
        .select_related(
            "partner",
            "cohort",
            "practice",
            "candidate",
            "candidate__family",
            "candidate__group",
            "candidate__venture",
            "nominated_by",
            "published_by",
        )
        .prefetch_related(_consent_states())
        .first()
    )
    if feature is None or not policy.can_view_cohort(seat, feature.cohort):
        raise _not_found()
    return feature


def feature_answers(feature: Feature) -> QuerySet[FeatureConsent]:
    """Who was asked and what each family answered, by whom and when."""
    return (
        FeatureConsent.objects.filter(partner=feature.partner_id, feature=feature)
        .select_related("family", "answered_by")
        .order_by("family__name", "pk")
    )


# Platform admins -------------------------------------------------------------------------------


def platform_features() -> QuerySet[Feature]:
    """Public features of every partner, for the platform admins' international picks."""
    return (
        _public_in_sql(Feature.objects.all())
        .select_related("partner", "practice", "candidate")
        .order_by("-is_international", "-published_at", "-id")
    )
