"""The pages around a feature: staff nominate, follow and publish (liaisons 403, another
partner's people 404), families answer only what they were asked (404 otherwise), and only
platform admins pick features for the global gallery (404 for anyone else)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from changemakers.models import Candidate, Feature
from changemakers.services import features as services
from changemakers.tests import feature_data as data
from tests import clock, factories
from ventures.models import Venture


def nominate_url(tenant, candidate):
    return reverse(
        "feature_nominate",
        kwargs={"partner_slug": tenant.partner.slug, "candidate_id": candidate.pk},
    )


def feature_url(tenant, feature):
    return reverse(
        "staff_feature", kwargs={"partner_slug": tenant.partner.slug, "feature_id": feature.pk}
    )


def list_url(tenant):
    return reverse("staff_features", kwargs={"partner_slug": tenant.partner.slug})


# Staff -----------------------------------------------------------------------------------------


def test_the_nominate_page_shows_the_candidate_its_reasons_and_who_is_asked(world, client):
    candidate = data.candidate(world.a, "group")
    client.force_login(world.a.staff)
    page = client.get(nominate_url(world.a, candidate))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Income up 35% since the baseline" in text
    assert world.a.seed_family.name in text and world.a.friend_family.name in text
    assert 'value="Riverside"' in text  # the cohort's region
    assert 'value="US"' in text  # the partner's country
    assert 'enctype="multipart/form-data"' in text


def test_the_nominate_page_refuses_bad_input_naming_the_field(world, client):
    candidate = data.candidate(world.a, "family")
    client.force_login(world.a.staff)
    response = client.post(
        nominate_url(world.a, candidate),
        {"headline": "Fine", "story": "Fine too.", "country": "USA"},
    )
    assert response.status_code == 400
    assert "two-letter ISO 3166" in response.content.decode()
    assert 'id="id_country_error"' in response.content.decode()
    assert not Feature.objects.exists()
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.SURFACED


@pytest.mark.parametrize("name", ["nominate", "list", "detail"])
def test_staff_pages_refuse_liaisons_and_other_partners(world, client, name):
    feature = data.nominate(world.a, "group")
    candidate = data.candidate(world.a, "family")
    url = {
        "nominate": nominate_url(world.a, candidate),
        "list": list_url(world.a),
        "detail": feature_url(world.a, feature),
    }[name]
    client.force_login(world.a.liaison)
    assert client.get(url).status_code == 403
    if name != "list":
        assert client.post(url, {"action": "publish", "confirm": "yes"}).status_code == 403
    for outsider in (world.b.admin, world.b.staff, world.a.seed_member, world.a.funder):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(world.a.admin)
    assert client.get(url).status_code == 200
    assert Feature.objects.count() == 1


def test_the_list_shows_each_feature_and_its_state(world, client):
    asking = data.nominate(world.a, "group", headline="Still asking")
    done = data.published(world.a, "family", headline="Out there")
    client.force_login(world.a.staff)
    text = client.get(list_url(world.a)).content.decode()
    assert "Still asking" in text and "Out there" in text
    assert "0 of 2" in text and "1 of 1" in text
    assert escape(asking.get_state_display()) in text
    assert escape(done.get_state_display()) in text


def test_the_detail_shows_who_answered_what(world, client):
    feature = data.nominate(world.a, "group")
    services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    client.force_login(world.a.staff)
    response = client.get(feature_url(world.a, feature))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.a.seed_member.display_name in text
    assert "Accepted" in text and "Not answered yet" in text
    assert "Publish…" not in text  # not everyone consented


def test_publish_and_take_down_ask_first(world, client):
    feature = data.accept_all(world.a, data.nominate(world.a, "group"))
    client.force_login(world.a.staff)
    url = feature_url(world.a, feature)
    assert "Publish…" in client.get(url).content.decode()
    asked = client.post(url, {"action": "publish"})
    assert asked.status_code == 200 and "Yes, publish" in asked.content.decode()
    feature.refresh_from_db()
    assert feature.state == Feature.State.CONSENTED

    assert client.post(url, {"action": "publish", "confirm": "yes"}).status_code == 302
    feature.refresh_from_db()
    assert feature.state == Feature.State.PUBLISHED
    assert feature.published_by == world.a.staff

    asked = client.post(url, {"action": "take_down"})
    assert asked.status_code == 200 and "Yes, take it down" in asked.content.decode()
    feature.refresh_from_db()
    assert feature.state == Feature.State.PUBLISHED
    response = client.post(url, {"action": "take_down", "confirm": "yes", "reason": "Typo"})
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.state == Feature.State.CONSENTED
    assert AuditEvent.objects.filter(verb="feature.take_down", object_id=str(feature.pk)).exists()
    client.logout()
    assert client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 404


# Families --------------------------------------------------------------------------------------


def test_a_family_not_asked_gets_404(world, client):
    feature = data.nominate(world.a, "family")  # the friend family only
    url = reverse("family_feature", args=[feature.pk])
    for user in (world.a.seed_member, world.b.seed_member, world.a.staff, world.a.funder):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "accept"}).status_code == 404
    feature.refresh_from_db()
    assert feature.state == Feature.State.ASKING
    client.force_login(world.a.seed_member)
    listing = client.get(reverse("family_features"))
    assert listing.status_code == 200
    assert "Nothing waits for your answer." in listing.content.decode()
    assert feature.headline not in listing.content.decode()


def test_the_family_list_and_the_home_notice(world, client):
    feature = data.nominate(world.a, "family", headline="Would you?")
    client.force_login(world.a.friend_member)
    home = client.get(reverse("family_home")).content.decode()
    assert "would like to feature your family" in home
    listing = client.get(reverse("family_features")).content.decode()
    assert "Would you?" in listing and "Waiting for your answer" in listing
    accepted = client.post(reverse("family_feature", args=[feature.pk]), {"action": "accept"})
    assert accepted.status_code == 302
    response = client.get(reverse("family_home"))
    assert response.status_code == 200
    home = response.content.decode()
    assert "would like to feature your family" not in home
    assert reverse("family_features") in home  # past answers stay reachable
    client.force_login(world.a.seed_member)  # never asked: no notice, no link
    response = client.get(reverse("family_home"))
    assert response.status_code == 200
    assert "Seed household A" in response.content.decode()
    assert reverse("family_features") not in response.content.decode()


def test_withdrawal_asks_first(world, client):
    feature = data.published(world.a, "family")
    client.force_login(world.a.friend_member)
    url = reverse("family_feature", args=[feature.pk])
    page = client.get(url).content.decode()
    assert "Withdraw my consent…" in page
    asked = client.post(url, {"action": "withdraw"})
    assert asked.status_code == 200 and "Yes, withdraw" in asked.content.decode()
    feature.refresh_from_db()
    assert feature.state == Feature.State.PUBLISHED
    client.post(url, {"action": "withdraw", "confirm": "yes"})
    feature.refresh_from_db()
    assert feature.state == Feature.State.WITHDRAWN


# Platform admins ---------------------------------------------------------------------------


def test_only_platform_admins_pick_international_features(world, client):
    feature = data.published(world.a, "family", headline="Worth the world")
    url = reverse("platform_features")
    for user in (world.a.admin, world.a.staff, world.a.funder, world.b.admin, world.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"feature": feature.pk, "international": "1"}).status_code == 404
    feature.refresh_from_db()
    assert not feature.is_international

    client.force_login(data.platform_admin())
    page = client.get(url).content.decode()
    assert "Worth the world" in page
    assert client.post(url, {"feature": feature.pk, "international": "1"}).status_code == 302
    feature.refresh_from_db()
    assert feature.is_international
    assert "Picked" in client.get(url).content.decode()
    assert client.post(url, {"feature": feature.pk, "international": "0"}).status_code == 302
    feature.refresh_from_db()
    assert not feature.is_international
    assert client.post(url, {"feature": 999999, "international": "1"}).status_code == 404


def test_a_feature_that_is_not_public_cannot_be_picked(world, client):
    feature = data.nominate(world.a, "family")
    client.force_login(data.platform_admin())
    response = client.post(
        reverse("platform_features"), {"feature": feature.pk, "international": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "Only a published Everyday Changemaker can be picked." in response.content.decode()
    feature.refresh_from_db()
    assert not feature.is_international


# Query counts ----------------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_staff_list_has_a_flat_query_count(world, client):
    data.public_rows(world.a, 10, families=2)
    client.force_login(world.a.staff)
    ten = queries(client, list_url(world.a))
    data.public_rows(world.a, 40, families=3)
    assert queries(client, list_url(world.a)) == ten


def test_the_family_list_has_a_flat_query_count(world, client):
    def ask(period):
        cand = data.candidate(world.a, "family", period=period)
        return services.feature_nominate(
            seat=data.staff_seat(world.a), candidate=cand, headline="Asked", story="Story."
        )

    client.force_login(world.a.friend_member)
    services.feature_consent_accept(seat=data.friend_seat(world.a), feature=ask(data.OCTOBER))
    ask(clock.month(-3))
    few = queries(client, reverse("family_features"))
    for month in range(1, 7):
        feature = ask(clock.month(month - 24))
        if month % 2:
            services.feature_consent_accept(seat=data.friend_seat(world.a), feature=feature)
    assert queries(client, reverse("family_features")) == few


def test_other_families_are_named_only_where_they_allow_it(world, client):
    elsewhere = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=world.a.cohort), name="Quiet household"
    )
    venture = Venture.objects.create(
        partner=world.a.partner,
        cohort=world.a.cohort,
        name="Shared stall",
        kind="new",
        sector="food",
        description="A stall.",
    )
    venture.owners.add(world.a.friend_family, world.a.seed_family, elsewhere)
    feature = data.nominate(world.a, "venture", subject=venture)
    client.force_login(world.a.friend_member)
    text = client.get(reverse("family_feature", args=[feature.pk])).content.decode()
    assert world.a.seed_family.name in text  # same group
    assert "Quiet household" not in text and "Another family" in text
