"""From "Nominate" to the public gallery: staff write what would be published, the families see
exactly that and accept (perhaps in their own words) or decline, staff publish, and any family
asked may withdraw at any time."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from changemakers.models import Candidate, Feature, FeatureConsent
from changemakers.services import features as services
from changemakers.tests import feature_data as data
from families.access import FamilySeat
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound
from surveys.models import Practice
from tests import factories
from ventures.models import Venture


def gallery_text(client) -> str:
    response = client.get(reverse("gallery"))
    assert response.status_code == 200
    return response.content.decode()


def api_ids(api) -> list[int]:
    response = api.get(reverse("api_changemakers"))
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


# The whole flow ---------------------------------------------------------------------------------


def test_nominate_consent_publish_then_gallery_and_api_show_it(world, client, api):
    staff = data.staff_seat(world.a)
    candidate = data.candidate(world.a, "family")
    client.force_login(world.a.staff)
    response = client.post(
        reverse(
            "feature_nominate",
            kwargs={"partner_slug": world.a.partner.slug, "candidate_id": candidate.pk},
        ),
        {
            "headline": "Savings that grew",
            "story": "They opened an account and told their friends.",
            "region": "Riverside",
            "country": "us",
            "photo": data.upload(),
        },
    )
    feature = Feature.objects.get(candidate=candidate)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "staff_feature",
        kwargs={"partner_slug": world.a.partner.slug, "feature_id": feature.pk},
    )
    assert feature.state == Feature.State.ASKING
    assert feature.country == "US"
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.NOMINATED
    assert [c.family for c in feature.consents.all()] == [world.a.friend_family]

    # The family sees exactly what would be published, photo included.
    client.force_login(world.a.friend_member)
    home = client.get(reverse("family_home")).content.decode()
    assert reverse("family_features") in home
    page = client.get(reverse("family_feature", args=[feature.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Savings that grew" in text
    assert "They opened an account and told their friends." in text
    assert reverse("gallery_feature_photo", args=[feature.pk]) in text
    assert client.get(reverse("gallery_feature_photo", args=[feature.pk])).status_code == 200
    # ... and nobody else does yet.
    client.logout()
    gallery = gallery_text(client)
    assert "No Everyday Changemaker is published yet." in gallery
    assert "Savings that grew" not in gallery

    client.force_login(world.a.friend_member)
    response = client.post(reverse("family_feature", args=[feature.pk]), {"action": "accept"})
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.state == Feature.State.CONSENTED
    gallery = gallery_text(client)
    assert "No Everyday Changemaker is published yet." in gallery
    assert "Savings that grew" not in gallery  # consented is not published

    services.feature_publish(seat=staff, feature=feature)
    client.logout()
    assert "Savings that grew" in gallery_text(client)
    assert client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 200
    assert api_ids(api) == [feature.pk]
    row = api.get(reverse("api_changemaker", args=[feature.pk])).json()
    assert row["headline"] == "Savings that grew"
    assert row["kind"] == "family"
    assert row["partner"] == world.a.partner.name
    assert row["public"] is True
    assert row["photo"].endswith(reverse("gallery_feature_photo", args=[feature.pk]))


def test_edit_then_accept_publishes_the_familys_words(world, client):
    feature = data.nominate(world.a, "family")
    client.force_login(world.a.friend_member)
    response = client.post(
        reverse("family_feature", args=[feature.pk]),
        {"action": "edit", "headline": "Our own words", "story": "We tell it our way."},
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert (feature.headline, feature.story) == ("Our own words", "We tell it our way.")
    assert feature.state == Feature.State.CONSENTED
    services.feature_publish(seat=data.staff_seat(world.a), feature=feature)
    client.logout()
    response = client.get(reverse("gallery_feature", args=[feature.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Our own words" in page and "We tell it our way." in page
    assert "A savings circle that grew" not in page


def test_a_group_needs_every_family_and_an_edit_asks_the_others_again(world):
    feature = data.nominate(world.a, "group")
    assert {c.family for c in feature.consents.all()} == {
        world.a.seed_family,
        world.a.friend_family,
    }
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    feature.refresh_from_db()
    assert feature.state == Feature.State.ASKING  # the friend family has not answered

    services.feature_consent_accept(
        seat=data.friend_seat(world.a), feature=feature, headline="Together we save"
    )
    feature.refresh_from_db()
    seed = FeatureConsent.objects.get(feature=feature, family=world.a.seed_family)
    assert feature.headline == "Together we save"
    assert seed.state == FeatureConsent.State.PENDING  # the seed family must see the new words
    assert feature.state == Feature.State.ASKING
    with pytest.raises(Conflict):
        services.feature_publish(seat=data.staff_seat(world.a), feature=feature)

    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    feature.refresh_from_db()
    assert feature.state == Feature.State.CONSENTED
    services.feature_publish(seat=data.staff_seat(world.a), feature=feature)
    feature.refresh_from_db()
    assert feature.state == Feature.State.PUBLISHED


def test_a_venture_asks_every_owner_family(world):
    venture = Venture.objects.create(
        partner=world.a.partner,
        cohort=world.a.cohort,
        group=world.a.group,
        name="Tamales together",
        kind="new",
        sector="food",
        description="Sold at the market.",
    )
    venture.owners.add(world.a.seed_family, world.a.friend_family)
    feature = data.nominate(world.a, "venture", subject=venture)
    assert feature.consents.count() == 2
    data.accept_all(world.a, feature)
    assert feature.state == Feature.State.CONSENTED


def test_accepting_twice_changes_nothing(world):
    feature = data.nominate(world.a, "group")
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    events = AuditEvent.objects.count()
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    assert AuditEvent.objects.count() == events


# Decline -------------------------------------------------------------------------------------


def test_a_decline_ends_it_and_nobody_can_nominate_again(world, client, api):
    feature = data.nominate(world.a, "group")
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    client.force_login(world.a.friend_member)
    url = reverse("family_feature", args=[feature.pk])
    asked_first = client.post(url, {"action": "decline"})
    assert asked_first.status_code == 200
    assert "Yes, decline" in asked_first.content.decode()
    feature.refresh_from_db()
    assert feature.state == Feature.State.ASKING  # nothing happens before the confirmation

    assert client.post(url, {"action": "decline", "confirm": "yes"}).status_code == 302
    feature.refresh_from_db()
    assert feature.state == Feature.State.DECLINED

    # Staff cannot ask again: not with the service, not with the page.
    with pytest.raises(Conflict):
        services.feature_nominate(
            seat=data.staff_seat(world.a),
            candidate=feature.candidate,
            headline="Please?",
            story="Again.",
        )
    client.force_login(world.a.staff)
    again = client.post(
        reverse(
            "feature_nominate",
            kwargs={"partner_slug": world.a.partner.slug, "candidate_id": feature.candidate_id},
        ),
        {"headline": "Please?", "story": "Again.", "country": "US"},
    )
    assert again.status_code == 409
    assert Feature.objects.filter(candidate=feature.candidate).count() == 1
    # Nor can they publish it, and the other families cannot revive it.
    with pytest.raises(Conflict):
        services.feature_publish(seat=data.staff_seat(world.a), feature=feature)
    with pytest.raises(Conflict):
        services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)

    client.logout()
    gallery = gallery_text(client)
    assert "No Everyday Changemaker is published yet." in gallery
    assert feature.headline not in gallery
    assert client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 404
    assert api.get(reverse("api_changemaker", args=[feature.pk])).status_code == 404
    assert api_ids(api) == []


# Withdrawal ----------------------------------------------------------------------------------


def test_withdrawing_before_publication_means_it_is_never_published(world):
    feature = data.accept_all(world.a, data.nominate(world.a, "group"))
    services.feature_consent_withdraw(seat=data.friend_seat(world.a), feature=feature)
    feature.refresh_from_db()
    assert feature.state == Feature.State.WITHDRAWN
    with pytest.raises(Conflict):
        services.feature_publish(seat=data.staff_seat(world.a), feature=feature)


def test_a_pending_family_declines_rather_than_withdraws(world):
    feature = data.nominate(world.a, "family")
    with pytest.raises(Conflict):
        services.feature_consent_withdraw(seat=data.friend_seat(world.a), feature=feature)


def test_withdrawal_deletes_the_photo(world, django_capture_on_commit_callbacks):
    feature = data.published(world.a, "group", photo=data.upload())
    storage, name = feature.photo.storage, feature.photo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.feature_consent_withdraw(seat=data.seed_seat(world.a), feature=feature)
    feature.refresh_from_db()
    assert not feature.photo
    assert not storage.exists(name)


# The photo -----------------------------------------------------------------------------------


def test_the_photo_is_framed_and_carries_no_metadata(world):
    feature = data.nominate(world.a, "family", photo=data.upload(exif=True))
    with feature.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (services.PHOTO_WIDTH, services.PHOTO_HEIGHT)
        assert not image.getexif()


def test_a_file_that_is_not_a_photo_is_refused_naming_the_field(world):
    not_a_photo = SimpleUploadedFile("me.jpg", b"%PDF-1.4 nothing", content_type="image/jpeg")
    with pytest.raises(InvalidInput) as refused:
        data.nominate(world.a, "family", photo=not_a_photo)
    assert "photo" in refused.value.errors
    assert not Feature.objects.exists()


# Bad input and refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"headline": "  "}, "headline"),
        ({"headline": "x" * 141}, "headline"),
        ({"story": ""}, "story"),
        ({"country": "USA"}, "country"),
        ({"country": "1A"}, "country"),
        ({"region": "r" * 201}, "region"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(world, fields, field):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        data.nominate(world.a, "family", **fields)
    assert field in refused.value.errors
    assert refused.value.status_code == 400
    assert not Feature.objects.exists()
    assert not FeatureConsent.objects.exists()
    assert Candidate.objects.get().state == Candidate.State.SURFACED
    assert AuditEvent.objects.count() == events


def test_a_practice_of_another_partner_is_refused(world):
    theirs = Practice.objects.create(partner=world.b.partner, slug="their-own", names={"en": "X"})
    with pytest.raises(InvalidInput) as refused:
        data.nominate(world.a, "family", practice=theirs)
    assert "practice" in refused.value.errors


def test_the_family_edit_is_checked_and_nothing_changes(world, client):
    feature = data.nominate(world.a, "family")
    client.force_login(world.a.friend_member)
    response = client.post(
        reverse("family_feature", args=[feature.pk]),
        {"action": "edit", "headline": "", "story": "Something"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with pytest.raises(InvalidInput) as refused:
        services.feature_consent_accept(seat=data.friend_seat(world.a), feature=feature, story=" ")
    assert "story" in refused.value.errors
    feature.refresh_from_db()
    assert feature.headline == "A savings circle that grew"
    assert feature.consents.get().state == FeatureConsent.State.PENDING


def test_services_refuse_without_the_capability_or_outside_the_partner(world):
    cand = data.candidate(world.a, "family")
    with pytest.raises(NotAllowed):
        services.feature_nominate(
            seat=data.staff_seat(world.a, "liaison"), candidate=cand, headline="H", story="S"
        )
    with pytest.raises(NotFound):
        services.feature_nominate(
            seat=data.staff_seat(world.b), candidate=cand, headline="H", story="S"
        )
    feature = data.accept_all(world.a, data.nominate(world.a, "group"))
    with pytest.raises(NotAllowed):
        services.feature_publish(seat=data.staff_seat(world.a, "liaison"), feature=feature)
    with pytest.raises(NotFound):
        services.feature_publish(seat=data.staff_seat(world.b), feature=feature)
    with pytest.raises(NotFound):
        services.feature_consent_withdraw(seat=data.seed_seat(world.b), feature=feature)
    stranger = factories.FamilyFactory(group=world.a.group)
    member = factories.UserFactory()
    with pytest.raises(NotFound):
        services.feature_consent_accept(
            seat=FamilySeat(user=member, family=stranger), feature=feature
        )
    with pytest.raises(NotFound):  # only platform admins pick international features
        services.feature_set_international(actor=world.a.admin, feature=feature, international=True)


def test_nominating_twice_or_a_dismissed_candidate_is_a_conflict(world):
    feature = data.nominate(world.a, "family")
    with pytest.raises(Conflict):
        services.feature_nominate(
            seat=data.staff_seat(world.a), candidate=feature.candidate, headline="H", story="S"
        )
    dismissed = data.candidate(
        world.a, "family", subject=world.a.seed_family, state=Candidate.State.DISMISSED
    )
    with pytest.raises(Conflict):
        services.feature_nominate(
            seat=data.staff_seat(world.a), candidate=dismissed, headline="H", story="S"
        )


def test_publishing_twice_and_taking_down_what_is_not_published_are_conflicts(world):
    feature = data.published(world.a, "group")
    with pytest.raises(Conflict):
        services.feature_publish(seat=data.staff_seat(world.a), feature=feature)
    services.feature_take_down(seat=data.staff_seat(world.a), feature=feature)
    with pytest.raises(Conflict):
        services.feature_take_down(seat=data.staff_seat(world.a), feature=feature)


# The audit trail -----------------------------------------------------------------------------


def test_every_state_change_is_audited(world):
    feature = data.nominate(world.a, "group", headline="Audited")
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    services.feature_consent_accept(
        seat=data.friend_seat(world.a), feature=feature, story="In our words."
    )
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    staff = data.staff_seat(world.a)
    services.feature_publish(seat=staff, feature=feature)
    operator = data.platform_admin()
    services.feature_set_international(actor=operator, feature=feature, international=True)
    services.feature_take_down(seat=staff, feature=feature, reason="A typo in the region")
    services.feature_publish(seat=staff, feature=feature)
    services.feature_consent_withdraw(seat=data.friend_seat(world.a), feature=feature)

    events = AuditEvent.objects.filter(partner=world.a.partner).order_by("created_at", "id")
    verbs = [e.verb for e in events if e.object_type.startswith("changemakers.")]
    assert verbs == [
        "candidate.nominate",
        "feature.nominate",
        "feature_consent.accept",
        "feature.edit_by_family",
        "feature_consent.accept",
        "feature_consent.accept",
        "feature.consented",
        "feature.publish",
        "feature.international",
        "feature.take_down",
        "feature.publish",
        "feature_consent.withdraw",
        "feature.withdrawn",
    ]
    edit = events.get(verb="feature.edit_by_family")
    assert edit.actor == world.a.friend_member
    assert edit.after["asked_again"] == [world.a.seed_family.pk]
    assert events.get(verb="feature.take_down").after["reason"] == "A typo in the region"
    assert events.get(verb="feature.international").actor == operator


def test_decline_is_audited(world):
    feature = data.nominate(world.a, "family")
    services.feature_consent_decline(seat=data.friend_seat(world.a), feature=feature)
    verbs = set(AuditEvent.objects.filter(partner=world.a.partner).values_list("verb", flat=True))
    assert {"feature_consent.decline", "feature.declined"} <= verbs
