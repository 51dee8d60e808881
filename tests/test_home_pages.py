"""After sign-in each role lands on its own home page."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import PartnerFactory, UserFactory, enable_totp


def _lands_on(client, user):
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else "/", response


def test_a_family_member_lands_on_their_family_home(world, client):
    url, response = _lands_on(client, world.a.seed_member)
    assert url == reverse("family_home")
    assert "Seed household A" in response.content.decode()
    assert "Friend household A" in response.content.decode()  # the group's other family
    assert "Seed household B" not in response.content.decode()


def test_partner_staff_land_on_the_partner_dashboard(world, client):
    url, response = _lands_on(client, world.a.staff)
    assert url == reverse("partner_home", args=[world.a.partner.slug])
    body = response.content.decode()
    assert "Cohort A" in body
    assert "2 households, 8 people reached" in body
    assert "Cohort B" not in body


def test_a_liaison_lands_on_the_cohorts_they_are_assigned_to(world, client):
    other = world.a.cohort.__class__.objects.create(
        partner=world.a.partner, name="Unassigned cohort", started_on=world.a.cohort.started_on
    )
    url, response = _lands_on(client, world.a.liaison)
    assert url == reverse("partner_home", args=[world.a.partner.slug])
    body = response.content.decode()
    assert "Cohort A" in body
    assert other.name not in body
    assert "Team and invitations" not in body


def test_a_funder_lands_on_the_partners_they_support(world, client):
    url, response = _lands_on(client, world.a.funder)
    assert url == reverse("funder_home")
    body = response.content.decode()
    assert "Partner A" in body
    assert "Partner B" not in body


def test_a_platform_admin_lands_on_the_partner_list(world, client):
    operator = UserFactory(is_superuser=True)
    enable_totp(operator)
    url, response = _lands_on(client, operator)
    assert url == reverse("platform_home")
    assert "Partner A" in response.content.decode()
    assert "Partner B" in response.content.decode()


def test_someone_working_for_two_partners_picks_one(world, client):
    Membership.objects.create(partner=world.b.partner, user=world.a.staff, role=Role.LIAISON)
    url, response = _lands_on(client, world.a.staff)
    assert url == "/"
    body = response.content.decode()
    assert reverse("partner_home", args=[world.a.partner.slug]) in body
    assert reverse("partner_home", args=[world.b.partner.slug]) in body


def test_a_user_with_no_role_is_told_so(world, client):
    _url, response = _lands_on(client, world.outsider)
    assert "not linked to a family, a partner or a funder" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_family_and_funder_homes_are_404_for_people_who_are_not(world, client):
    client.force_login(world.a.funder)
    assert client.get(reverse("family_home")).status_code == 404
    client.force_login(world.a.seed_member)
    assert client.get(reverse("funder_home")).status_code == 404


def test_platform_pages_are_404_for_partner_admins(world, client):
    client.force_login(world.a.admin)
    assert client.get(reverse("platform_home")).status_code == 404
    assert client.get(reverse("platform_partner_create")).status_code == 404


@pytest.mark.parametrize("cohorts", [1, 6])
def test_the_partner_dashboard_query_count_does_not_grow_with_cohorts(
    world, client, django_assert_max_num_queries, cohorts
):
    for n in range(cohorts):
        world.a.cohort.__class__.objects.create(
            partner=world.a.partner, name=f"Extra {n}", started_on=world.a.cohort.started_on
        )
    client.force_login(world.a.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partner_home", args=[world.a.partner.slug]))
    assert response.status_code == 200


def test_partner_b_admin_sees_only_partner_b(world, client):
    PartnerFactory(name="Partner C")
    _url, response = _lands_on(client, world.b.admin)
    body = response.content.decode()
    assert "Partner B" in body
    assert "Partner A" not in body
    assert "Partner C" not in body
