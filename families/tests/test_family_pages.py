"""The families' own pages, as a whole: the home page leads to them, every one works for a
family, and nobody else (staff, liaisons, admins, funders, people with no role) reaches them.
The group page (`/family/group/`) is tested here too.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import Family
from tests import factories

PAGES = [
    "family_group",
    "family_invitations",
    "family_feed_group",
    "family_feed_cohort",
    "family_help",
    "family_directory",
    "family_consent",
]
GROUP = reverse("family_group")


def signed_in(client, user):
    client.force_login(user)
    return client


# The family home ---------------------------------------------------------------------------------


def test_the_family_home_leads_to_every_family_page(world, client):
    response = signed_in(client, world.a.seed_member).get(reverse("family_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Welcome, " in body
    assert "Your household" in body
    for name in PAGES:
        assert f'href="{reverse(name)}"' in body, name


def test_a_friend_familys_home_does_not_offer_invitations(world, client):
    response = signed_in(client, world.a.friend_member).get(reverse("family_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{reverse("family_invitations")}"' not in body
    assert f'href="{reverse("family_feed_group")}"' in body


@pytest.mark.parametrize("who", ["seed_member", "friend_member"])
@pytest.mark.parametrize("name", PAGES)
def test_every_family_page_works_for_the_family(world, client, who, name):
    response = signed_in(client, getattr(world.a, who)).get(reverse(name))
    assert response.status_code == 200
    assert 'aria-current="page"' in response.content.decode() or name == "family_invitations"


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "funder"])
@pytest.mark.parametrize("name", PAGES)
def test_people_who_are_not_a_family_get_404_on_family_pages(world, client, role, name):
    response = signed_in(client, getattr(world.a, role)).get(reverse(name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_user_with_no_role_gets_404_on_family_pages(world, client, name):
    assert signed_in(client, world.outsider).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# The group page --------------------------------------------------------------------------------


def test_the_group_page_shows_the_seed_first_and_who_invited_whom(world, client):
    late = factories.FamilyFactory(
        group=world.a.group,
        name="A late friend",
        invited_by=world.a.seed_family,
        generation=1,
        household_size=3,
    )
    factories.HouseholdMemberFactory(family=late, first_name="Lea", user=None)

    response = signed_in(client, world.a.friend_member).get(GROUP)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Our group: Group A" in body
    cards = [row["card"] for row in response.context["page"]]
    assert cards[0].name == "Seed household A"
    assert [c.name for c in cards[1:]] == ["A late friend", "Friend household A"]
    assert "seed family" in body
    assert "Invited by Seed household A" in body
    assert "generation 0" in body
    assert "generation 1" in body
    assert "Sol" in body  # the seed's household, shared with the group by default
    assert "Lea" in body
    assert "3 people" in body
    assert world.a.seed_family.contact_email in body
    assert "(you)" in body


def test_the_group_page_respects_each_familys_consent(world, client):
    Family.objects.filter(pk=world.a.seed_family.pk).update(
        show_household_to_group=False, show_contact_to_group=False
    )
    response = signed_in(client, world.a.friend_member).get(GROUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A" in body
    assert "Sol" not in body
    assert world.a.seed_family.contact_email not in body
    assert "This family keeps its household private." in body


def test_the_group_page_shows_only_the_familys_own_group(world, client):
    other_group = factories.GroupFactory(cohort=world.a.cohort, name="Neighbouring group")
    factories.FamilyFactory(group=other_group, name="Neighbour household", is_seed=True)
    response = signed_in(client, world.a.seed_member).get(GROUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friend household A" in body
    assert "Neighbour household" not in body
    assert "Seed household B" not in body
    assert "Friend household B" not in body


def test_the_group_page_queries_do_not_grow_with_families(
    world, client, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            family = factories.FamilyFactory(
                group=world.a.group, invited_by=world.a.seed_family, generation=1
            )
            factories.HouseholdMemberFactory(family=family, user=None)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(GROUP)
        assert response.status_code == 200
        return len(context.captured_queries)

    signed_in(client, world.a.friend_member)
    grow(8)  # 10 families
    with django_assert_max_num_queries(8):
        small = queries()
    grow(90)  # 100 families
    with django_assert_max_num_queries(8):
        large = queries()
    assert small == large
