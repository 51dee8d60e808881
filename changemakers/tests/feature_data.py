"""Everyday Changemakers for tests: candidates, nominations through the real services, families'
answers, and many public features built as rows (for query counts)."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts import policy
from changemakers.models import Candidate, Feature, FeatureConsent
from changemakers.services import features as services
from families.access import FamilySeat
from tests import clock, factories

OCTOBER = clock.month(-2)


def picture(*, size=(300, 400), color=(30, 140, 90), fmt="JPEG", exif=False) -> bytes:
    """A small photo; with `exif`, it carries GPS coordinates like a phone's."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # camera make
        data[0x8825] = {1: "N", 2: (6.0, 18.0, 0.0)}  # GPS info
        options["exif"] = data
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(*, name="me.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture(**kwargs), content_type="image/jpeg")


def staff_seat(tenant, role="staff") -> policy.Seat:
    return policy.access_partner(getattr(tenant, role), tenant.partner.slug)


def seed_seat(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)


def friend_seat(tenant) -> FamilySeat:
    return FamilySeat(user=tenant.friend_member, family=tenant.friend_family)


def candidate(tenant, kind="family", *, subject=None, period=OCTOBER, state=None) -> Candidate:
    """A surfaced candidate: the friend family, the tenant's group, or a venture."""
    subject = subject or {"family": tenant.friend_family, "group": tenant.group}.get(kind)
    return Candidate.objects.create(
        partner=tenant.partner,
        cohort=tenant.cohort,
        period=period,
        kind=kind,
        subject_key=f"{kind}:{subject.pk}",
        **{kind: subject},
        score=55,
        reasons=[{"code": "income_up", "points": 30, "values": {"percent": "35"}}],
        state=state or Candidate.State.SURFACED,
        computed_at=timezone.now(),
    )


def nominate(tenant, kind="family", *, subject=None, **fields) -> Feature:
    values = {
        "headline": "A savings circle that grew",
        "story": "Ten families now save together every Friday.",
    }
    values.update(fields)
    return services.feature_nominate(
        seat=staff_seat(tenant),
        candidate=candidate(tenant, kind, subject=subject),
        **values,
    )


def asked_seats(tenant, feature) -> list[FamilySeat]:
    """A signed-in member of each family asked (the world's families have one each)."""
    seats = []
    for consent in feature.consents.select_related("family"):
        member = consent.family.members.exclude(user=None).select_related("user").first()
        seats.append(FamilySeat(user=member.user, family=consent.family))
    return seats


def accept_all(tenant, feature) -> Feature:
    for seat in asked_seats(tenant, feature):
        services.feature_consent_accept(seat=seat, feature=feature)
    feature.refresh_from_db()
    return feature


def published(tenant, kind="group", **fields) -> Feature:
    feature = accept_all(tenant, nominate(tenant, kind, **fields))
    return services.feature_publish(seat=staff_seat(tenant), feature=feature)


def public_rows(tenant, count, *, families=1, **fields) -> list[Feature]:
    """`count` published features with every consent given, as rows (fast, for counts)."""
    features = []
    now = timezone.now()
    for index in range(count):
        family = factories.FamilyFactory(group=tenant.group, name=f"Row family {index}")
        cand = candidate(tenant, "family", subject=family)
        cand.state = Candidate.State.NOMINATED
        cand.save(update_fields=["state"])
        feature = Feature.objects.create(
            partner=tenant.partner,
            cohort=tenant.cohort,
            candidate=cand,
            headline=fields.get("headline", f"Changemaker {index}"),
            story=fields.get("story", "They lead, others follow. " * 10),
            photo=fields.get("photo", f"changemakers/2026/10/row{index}.jpg"),
            region=fields.get("region", "North"),
            country=fields.get("country", tenant.partner.country),
            practice=fields.get("practice"),
            state=Feature.State.PUBLISHED,
            nominated_by=tenant.staff,
            published_by=tenant.staff,
            published_at=now - datetime.timedelta(minutes=index),
        )
        asked = [family] + [
            factories.FamilyFactory(group=tenant.group, name=f"Row family {index}.{n}")
            for n in range(1, families)
        ]
        FeatureConsent.objects.bulk_create(
            [
                FeatureConsent(
                    partner=tenant.partner,
                    feature=feature,
                    family=f,
                    state=FeatureConsent.State.ACCEPTED,
                    answered_at=now,
                )
                for f in asked
            ]
        )
        features.append(feature)
    return features


def platform_admin():
    user = factories.UserFactory(email="operator@example.org", is_superuser=True)
    factories.enable_totp(user)
    return user
