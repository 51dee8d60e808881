"""Peer consultants and the practice catalogue, on staff's pages. Staff invite a family of an
earlier demonstration to consult a newer cohort, and see each cohort's peer consultants; the
catalogue lists the platform's and the partner's practices in the partner's languages, and staff
add the partner's own. Liaisons read; another partner's people get 404."""

import pytest
from django.urls import reverse

from families.models import PeerConsultant
from surveys.models import Practice
from tests import clock
from tests.factories import CohortFactory, FamilyFactory, GroupFactory


def invite_url(tenant, family=None):
    return reverse(
        "peer_invite",
        kwargs={
            "partner_slug": tenant.partner.slug,
            "family_id": (family or tenant.seed_family).pk,
        },
    )


def peers_url(tenant, cohort):
    return reverse(
        "cohort_peer_consultants",
        kwargs={"partner_slug": tenant.partner.slug, "cohort_id": cohort.pk},
    )


def catalogue_url(tenant):
    return reverse("practice_catalogue", kwargs={"partner_slug": tenant.partner.slug})


def family_page(tenant, family=None):
    return reverse(
        "staff_family_detail",
        kwargs={
            "partner_slug": tenant.partner.slug,
            "family_id": (family or tenant.seed_family).pk,
        },
    )


@pytest.fixture
def newer(world):
    """A cohort of partner A that started after cohort A."""
    return CohortFactory(partner=world.a.partner, name="Newtown", started_on=clock.month(1))


@pytest.fixture
def older(world):
    return CohortFactory(partner=world.a.partner, name="Oldtown", started_on=clock.month(-23))


# Peer consultants -------------------------------------------------------------------------------


def test_the_staff_family_page_links_to_the_invitation_but_not_for_liaisons(world, client):
    client.force_login(world.a.staff)
    body = client.get(family_page(world.a)).content.decode()
    assert "Invite to consult a newer cohort" in body
    assert invite_url(world.a) in body
    client.force_login(world.a.liaison)
    response = client.get(family_page(world.a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A" in body
    assert "Invite to consult a newer cohort" not in body


def test_staff_choose_among_cohorts_that_started_later(world, client, newer, older):
    CohortFactory(partner=world.b.partner, name="B's newer", started_on=clock.month(2))
    client.force_login(world.a.staff)
    response = client.get(invite_url(world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].fields["cohort"].queryset) == [newer]
    assert "Newtown" in body
    assert "Oldtown" not in body and "B's newer" not in body


def test_staff_invite_a_family_and_the_cohort_page_lists_it(world, client, newer):
    client.force_login(world.a.admin)
    response = client.post(invite_url(world.a), {"cohort": newer.pk}, follow=True)
    assert response.redirect_chain[-1][0] == peers_url(world.a, newer)
    body = response.content.decode()
    assert "Seed household A is invited to consult Newtown. The family decides." in body
    consultancy = PeerConsultant.objects.get()
    assert (consultancy.family, consultancy.cohort) == (world.a.seed_family, newer)
    assert consultancy.status == PeerConsultant.Status.INVITED
    assert consultancy.invited_by == world.a.admin
    listing = body[body.index("<h1>") :]
    assert "Seed household A" in listing and "Invited" in listing and "from Cohort A" in listing
    # The newer cohort's page links to its peer consultants.
    cohort_page = reverse(
        "cohort_detail", kwargs={"partner_slug": world.a.partner.slug, "cohort_id": newer.pk}
    )
    assert peers_url(world.a, newer) in client.get(cohort_page).content.decode()


def test_a_cohort_that_did_not_start_later_is_a_400_and_nothing_is_written(world, client, older):
    client.force_login(world.a.staff)
    for cohort in (older, world.a.cohort, world.b.cohort):
        response = client.post(invite_url(world.a), {"cohort": cohort.pk})
        assert response.status_code == 400
        assert response.context["form"].errors["cohort"]
    response = client.post(invite_url(world.a), {})
    assert response.status_code == 400
    assert response.context["form"].errors["cohort"] == ["Choose a cohort."]
    assert "No cohort started after Cohort A yet" in response.content.decode()
    assert not PeerConsultant.objects.exists()


def test_a_second_invitation_to_the_same_cohort_is_refused(world, client, newer):
    client.force_login(world.a.staff)
    assert client.post(invite_url(world.a), {"cohort": newer.pk}).status_code == 302
    response = client.post(invite_url(world.a), {"cohort": newer.pk})
    assert response.status_code == 409
    assert "already invited to consult this cohort" in response.content.decode()
    assert PeerConsultant.objects.count() == 1


def test_a_liaison_may_not_invite_peers_but_reads_the_peer_list(world, client, newer):
    client.force_login(world.a.liaison)
    assert client.get(invite_url(world.a)).status_code == 403
    assert client.post(invite_url(world.a), {"cohort": newer.pk}).status_code == 403
    assert not PeerConsultant.objects.exists()
    response = client.get(peers_url(world.a, world.a.cohort))
    assert response.status_code == 200
    assert "No peer consultant yet." in response.content.decode()


def test_a_liaison_of_another_cohort_gets_404(world, client, newer):
    family = FamilyFactory(group=GroupFactory(cohort=newer), name="Newtown household")
    client.force_login(world.a.liaison)
    assert client.get(invite_url(world.a, family)).status_code == 404
    assert client.get(peers_url(world.a, newer)).status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_get_404_on_peer_pages(world, client, seat, newer):
    client.force_login(getattr(world.b, seat))
    assert client.get(invite_url(world.a)).status_code == 404
    assert client.post(invite_url(world.a), {"cohort": newer.pk}).status_code == 404
    assert client.get(peers_url(world.a, world.a.cohort)).status_code == 404
    assert not PeerConsultant.objects.exists()


# The practice catalogue -------------------------------------------------------------------------


def test_everyone_of_the_partner_reads_the_catalogue_in_its_languages(world, client):
    Practice.objects.create(
        partner=world.b.partner, slug="b-practice", names={"en": "Partner B's own practice"}
    )
    for seat in ("admin", "staff", "liaison"):
        client.force_login(getattr(world.a, seat))
        response = client.get(catalogue_url(world.a))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Joined or started a savings circle" in body
        assert "Se unió o formó un círculo de ahorro" in body  # partner A speaks en and es
        assert "A rejoint ou créé une tontine" not in body  # but not French
        assert "Partner B's own practice" not in body
        assert ('name="name_en"' in body) is (seat != "liaison")


def test_staff_add_a_practice_named_in_every_language(world, client):
    client.force_login(world.a.staff)
    response = client.post(
        catalogue_url(world.a),
        {
            "name_en": "Shared a car to work",
            "name_es": "Compartió un coche al trabajo",
            "description_en": "Neighbours take turns driving.",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "“Shared a car to work” is in your catalogue." in body
    practice = Practice.objects.get(partner=world.a.partner)
    assert practice.names == {"en": "Shared a car to work", "es": "Compartió un coche al trabajo"}
    assert practice.descriptions == {"en": "Neighbours take turns driving."}
    assert "Compartió un coche al trabajo" in body and "Your organization" in body


def test_a_practice_without_a_name_in_a_language_is_a_400_naming_the_field(world, client):
    client.force_login(world.a.staff)
    response = client.post(catalogue_url(world.a), {"name_en": "Shared a car", "name_es": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name_es"] == ["Name the practice in every language."]
    assert not Practice.objects.filter(partner=world.a.partner).exists()


def test_a_practice_the_platform_already_has_is_refused(world, client):
    client.force_login(world.a.staff)
    data = {"name_en": "Savings circle", "name_es": "Círculo de ahorro"}
    response = client.post(catalogue_url(world.a), data)
    assert response.status_code == 409
    assert "The catalogue already has this practice." in response.content.decode()
    assert not Practice.objects.filter(partner=world.a.partner).exists()


def test_a_liaison_may_not_add_practices(world, client):
    client.force_login(world.a.liaison)
    response = client.post(catalogue_url(world.a), {"name_en": "X", "name_es": "X"})
    assert response.status_code == 403
    assert not Practice.objects.filter(partner=world.a.partner).exists()


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_get_404_on_the_catalogue(world, client, seat):
    client.force_login(getattr(world.b, seat))
    assert client.get(catalogue_url(world.a)).status_code == 404
    assert client.post(catalogue_url(world.a), {"name_en": "X", "name_es": "X"}).status_code == 404
    assert not Practice.objects.filter(partner__isnull=False).exists()
