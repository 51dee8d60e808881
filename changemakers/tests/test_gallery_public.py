"""The public gallery of Everyday Changemakers, its pages, photos and API: anyone may read them,
and they never show anything without the current consent of every family asked."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from changemakers.models import Feature, FeatureConsent
from changemakers.selectors import features as selectors
from changemakers.services import features as services
from changemakers.tests import feature_data as data
from mutuality.errors import Conflict
from surveys.models import Practice


def gallery_html(client, **query) -> str:
    response = client.get(reverse("gallery"), query)
    assert response.status_code == 200
    return response.content.decode()


def api_ids(api, **query) -> list[int]:
    response = api.get(reverse("api_changemakers"), query)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def everywhere(client, api, feature) -> dict[str, bool]:
    """Where the public (no sign-in) sees the feature right now."""
    client.logout()
    api.force_authenticate(None)
    return {
        "gallery": reverse("gallery_feature", args=[feature.pk]) in gallery_html(client),
        "page": client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 200,
        "photo": client.get(reverse("gallery_feature_photo", args=[feature.pk])).status_code == 200,
        "api list": feature.pk in api_ids(api),
        "api detail": api.get(reverse("api_changemaker", args=[feature.pk])).status_code == 200,
    }


SHOWN = {"gallery": True, "page": True, "photo": True, "api list": True, "api detail": True}
HIDDEN = dict.fromkeys(SHOWN, False)


# Never without current consent -------------------------------------------------------------------


def test_withdrawal_removes_it_everywhere_on_the_very_next_request(world, client, api):
    feature = data.published(world.a, "group", photo=data.upload())
    assert everywhere(client, api, feature) == SHOWN

    client.force_login(world.a.friend_member)
    client.post(
        reverse("family_feature", args=[feature.pk]), {"action": "withdraw", "confirm": "yes"}
    )
    assert everywhere(client, api, feature) == HIDDEN
    # Neither staff nor the families asked get a preview of a withdrawn feature.
    for user in (world.a.staff, world.a.seed_member, world.a.friend_member):
        client.force_login(user)
        assert client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 404
    # And it cannot come back.
    with pytest.raises(Conflict):
        services.feature_publish(seat=data.staff_seat(world.a), feature=feature)


def test_a_published_feature_without_every_current_acceptance_is_hidden(world, client, api):
    """Whatever the feature's state says, the answers of the families decide."""
    feature = data.published(world.a, "group", photo=data.upload())
    assert everywhere(client, api, feature) == SHOWN
    consent = FeatureConsent.objects.get(feature=feature, family=world.a.seed_family)
    consent.state = FeatureConsent.State.WITHDRAWN
    consent.save()
    assert everywhere(client, api, feature) == HIDDEN
    consent.state = FeatureConsent.State.ACCEPTED
    consent.save()
    FeatureConsent.objects.filter(feature=feature).delete()  # nobody asked: never public
    assert everywhere(client, api, feature) == HIDDEN


@pytest.mark.parametrize("stage", ["asking", "partly accepted", "consented", "declined"])
def test_a_feature_not_published_never_appears(world, client, api, stage):
    feature = data.nominate(world.a, "group", photo=data.upload())
    if stage in ("partly accepted", "consented"):
        services.feature_consent_accept(seat=data.seed_seat(world.a), feature=feature)
    if stage == "consented":
        services.feature_consent_accept(seat=data.friend_seat(world.a), feature=feature)
    if stage == "declined":
        services.feature_consent_decline(seat=data.friend_seat(world.a), feature=feature)
    assert everywhere(client, api, feature) == HIDDEN
    for outsider in (world.a.funder, world.a.liaison, world.b.staff, world.outsider):
        client.force_login(outsider)
        assert client.get(reverse("gallery_feature", args=[feature.pk])).status_code == 404
        assert client.get(reverse("gallery_feature_photo", args=[feature.pk])).status_code == 404
        api.force_authenticate(outsider)
        assert api.get(reverse("api_changemaker", args=[feature.pk])).status_code == 404


def test_staff_and_the_families_asked_see_a_preview(world, client, api):
    feature = data.nominate(world.a, "group", photo=data.upload())
    for user in (world.a.staff, world.a.admin, world.a.seed_member, world.a.friend_member):
        client.force_login(user)
        page = client.get(reverse("gallery_feature", args=[feature.pk]))
        assert page.status_code == 200
        assert "Preview" in page.content.decode()
        photo = client.get(reverse("gallery_feature_photo", args=[feature.pk]))
        assert photo.status_code == 200
        assert "private" in photo["Cache-Control"]
        api.force_authenticate(user)
        assert api.get(reverse("api_changemaker", args=[feature.pk])).json()["public"] is False
    client.force_login(world.a.staff)
    gallery = gallery_html(client)
    assert "No Everyday Changemaker is published yet." in gallery
    assert reverse("gallery_feature", args=[feature.pk]) not in gallery


# The pages -------------------------------------------------------------------------------------


def test_the_gallery_needs_no_sign_in_and_no_javascript(world, client):
    feature = data.published(world.a, "family", headline="Open to all", photo=data.upload())
    page = client.get(reverse("gallery"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Open to all" in html
    assert 'loading="lazy"' in html
    assert f'width="{services.PHOTO_WIDTH}" height="{services.PHOTO_HEIGHT}"' in html
    assert "no-store" in page["Cache-Control"]
    assert "<script>" not in html  # nothing inline; the page works without scripts
    assert 'method="get"' in html  # the filters are a plain form
    detail = client.get(reverse("gallery_feature", args=[feature.pk]))
    assert detail.status_code == 200
    assert "Preview" not in detail.content.decode()


def test_the_photo_is_revalidated_on_every_use(world, client):
    feature = data.published(world.a, "family", photo=data.upload())
    url = reverse("gallery_feature_photo", args=[feature.pk])
    photo = client.get(url)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert "no-cache" in photo["Cache-Control"] and "private" not in photo["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": photo["ETag"]})
    assert again.status_code == 304
    services.feature_consent_withdraw(seat=data.friend_seat(world.a), feature=feature)
    assert client.get(url, headers={"If-None-Match": photo["ETag"]}).status_code == 404


def test_a_feature_without_a_photo_sends_its_photo_link_to_the_page(world, client):
    feature = data.published(world.a, "family")
    response = client.get(reverse("gallery_feature_photo", args=[feature.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("gallery_feature", args=[feature.pk])
    page = client.get(reverse("gallery_feature", args=[feature.pk]))
    assert page.status_code == 200
    assert feature.headline in page.content.decode()
    assert "<img" not in page.content.decode()


def test_international_picks_come_first_and_are_marked(world, client, api):
    older = data.published(world.a, "family", headline="Older, picked")
    newer = data.public_rows(world.a, 1, headline="Newer")[0]
    assert api_ids(api) == [newer.pk, older.pk]
    services.feature_set_international(
        actor=data.platform_admin(), feature=older, international=True
    )
    assert api_ids(api) == [older.pk, newer.pk]
    html = gallery_html(client)
    assert html.index("Older, picked") < html.index("Newer")
    assert html.count("Picked for the global gallery") == 1
    assert api.get(reverse("api_changemaker", args=[older.pk])).json()["international"] is True


def test_filters_by_country_region_and_practice(world, client, api):
    circle = Practice.objects.create(slug="savings-circle-x", names={"en": "Saving together"})
    us_north = data.public_rows(world.a, 1, headline="US north", region="North")[0]
    us_south = data.public_rows(world.a, 1, headline="US south", region="South", practice=circle)[0]
    lr = data.public_rows(world.b, 1, headline="Liberia", region="Montserrado")[0]

    assert set(api_ids(api)) == {us_north.pk, us_south.pk, lr.pk}
    assert api_ids(api, country="LR") == [lr.pk]
    assert api_ids(api, country="us", region="south") == [us_south.pk]
    assert api_ids(api, practice="savings-circle-x") == [us_south.pk]
    assert api_ids(api, practice="unknown") == []

    html = gallery_html(client, country="LR")
    assert "Liberia" in html and "US north" not in html
    html = gallery_html(client, region="South")
    assert "US south" in html and "US north" not in html
    html = gallery_html(client, practice="savings-circle-x")
    assert "US south" in html and "Liberia" not in html
    assert "Saving together" in html  # the practice's name in the filter and the entry


def test_bad_filters_are_400_naming_the_field(world, client, api):
    data.public_rows(world.a, 1)
    response = api.get(reverse("api_changemakers"), {"country": "USA"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
    page = client.get(reverse("gallery"), {"country": "ZZ"})
    assert page.status_code == 400
    assert 'id="id_country_error"' in page.content.decode()


def test_the_api_entry_has_the_contracts_fields(world, api):
    circle = Practice.objects.create(slug="garden", names={"en": "Community garden"})
    feature = data.published(world.a, "group", practice=circle, photo=data.upload())
    body = api.get(reverse("api_changemakers")).json()
    assert set(body) == {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert row == {
        "id": feature.pk,
        "headline": feature.headline,
        "story": feature.story,
        "region": "Riverside",
        "country": "US",
        "practice": {"slug": "garden", "name": "Community garden"},
        "partner": world.a.partner.name,
        "kind": "group",
        "international": False,
        "photo": "http://testserver" + reverse("gallery_feature_photo", args=[feature.pk]),
        "published_month": feature.published_at.strftime("%Y-%m"),
        "public": True,
    }
    assert api.get(reverse("api_changemaker", args=[feature.pk])).json() == row


def test_the_api_needs_no_sign_in_even_with_a_bad_token(world, api):
    feature = data.published(world.a, "family")
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-one")
    assert api_ids(api) == [feature.pk]


def test_the_policy_agrees_with_every_entry_of_the_gallery(world):
    data.public_rows(world.a, 3)
    data.nominate(world.a, "group")
    entries = list(selectors.gallery_features())
    assert len(entries) == 3
    assert all(policy.feature_is_public(f, [c.state for c in f.consents.all()]) for f in entries)
    assert Feature.objects.count() == 4


# Light for slow phones ---------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_gallery_list_has_a_flat_query_count(world, client):
    circle = Practice.objects.create(slug="p1", names={"en": "One"})
    data.public_rows(world.a, 10, families=2, practice=circle)
    ten = queries(client, reverse("gallery"))
    data.public_rows(world.a, 40, families=3)
    fifty = queries(client, reverse("gallery"))
    assert ten == fifty
    assert queries(client, reverse("gallery") + "?page=2") == fifty


def test_the_api_list_has_a_flat_query_count(world, api):
    data.public_rows(world.a, 10)
    with CaptureQueriesContext(connection) as ten:
        response = api.get(reverse("api_changemakers"))
    assert response.status_code == 200
    assert response.json()["count"] == 10
    data.public_rows(world.a, 40, families=2)
    with CaptureQueriesContext(connection) as fifty:
        response = api.get(reverse("api_changemakers"))
    assert response.status_code == 200
    assert response.json()["count"] == 50
    assert len(ten) == len(fifty)


def test_an_entry_page_is_small_and_uses_a_constant_number_of_queries(world, client):
    few = data.public_rows(world.a, 1, families=1, story="word " * 800)[0]
    many = data.public_rows(world.a, 1, families=12, story="word " * 800)[0]
    for feature in (few, many):
        response = client.get(reverse("gallery_feature", args=[feature.pk]))
        assert response.status_code == 200
        assert feature.headline in response.content.decode()
        assert len(response.content) < 30_000
    assert queries(client, reverse("gallery_feature", args=[few.pk])) == queries(
        client, reverse("gallery_feature", args=[many.pk])
    )
    assert queries(client, reverse("gallery_feature", args=[few.pk])) <= 3


def test_a_full_gallery_page_stays_small(world, client):
    data.public_rows(world.a, 30, story="word " * 800, headline="h" * 140, region="r" * 200)
    response = client.get(reverse("gallery"))
    assert response.status_code == 200
    assert "h" * 140 in response.content.decode()
    assert len(response.content) < 60_000


def test_the_schema_describes_the_public_endpoints(api, db):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    listing = schema["paths"]["/api/v1/changemakers/"]["get"]
    assert {"country", "region", "practice", "page"} <= {p["name"] for p in listing["parameters"]}
    assert "security" not in listing  # no credentials needed
    assert {"200", "400"} <= set(listing["responses"])
    detail = schema["paths"]["/api/v1/changemakers/{feature_id}/"]["get"]
    assert {} in detail["security"]  # anyone; a signed-in caller may get a preview
    fields = set(schema["components"]["schemas"]["Changemaker"]["properties"])
    assert fields == {
        "id",
        "headline",
        "story",
        "region",
        "country",
        "practice",
        "partner",
        "kind",
        "international",
        "photo",
        "published_month",
        "public",
    }
