"""One navigation on every page: at most five items in the bar (four places and "More"), the
rest behind "More", the current page marked, and each place with one name, the same as its card
on the home page."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory, enable_totp

LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def navigation(page: str) -> dict:
    """The bar's links, the links under "More", and which one is current."""
    navs = re.findall(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert len(navs) == 1, "one navigation per page"
    bar, _, more = navs[0].partition("<details")
    links = [(href, text.strip(), bool(current)) for href, current, text in LINK.findall(bar)]
    hidden = [(href, text.strip(), bool(current)) for href, current, text in LINK.findall(more)]
    return {
        "bar": [text for _, text, _ in links],
        "more": [text for _, text, _ in hidden],
        "current": [text for _, text, current in links + hidden if current],
        "urls": {text: href for href, text, _ in links + hidden},
        "more_is_current": 'class="is-current"' in more,
    }


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


FAMILY_PAGES = [
    "family_home",
    "survey_list",
    "family_progress",
    "family_group",
    "family_feed_group",
    "family_feed_cohort",
    "story_list",
    "family_stipends",
    "family_ventures",
    "family_help",
    "family_directory",
    "family_practices",
    "family_requests",
    "family_consent",
    "family_notices",
    "family_invitations",
    "mfa_index",
]


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_every_family_page_has_the_same_five_items_and_marks_itself(world, client, name):
    nav = navigation(page_of(client, world.a.seed_member, reverse(name)))

    assert nav["bar"] == ["Home", "Surveys", "Progress", "Group"]
    # Every family place is one tap away, whatever the page.
    for place in ["Stipends", "Stories", "Ventures", "Group feed", "Help between families"]:
        assert place in nav["more"]
    assert nav["urls"]["Stipends"] == reverse("family_stipends")
    assert len(nav["current"]) == 1
    assert nav["urls"][nav["current"][0]] == reverse(name)
    assert nav["more_is_current"] == (nav["current"][0] in nav["more"])


def test_a_survey_and_a_post_belong_to_their_places(world, client):
    page = page_of(client, world.a.seed_member, reverse("survey_new"))
    assert navigation(page)["current"] == ["Surveys"]


def test_each_place_has_one_name_the_home_cards_use_the_same(world, client):
    home = page_of(client, world.a.seed_member, reverse("family_home"))
    nav = navigation(home)
    cards = re.findall(
        r'<li class="card"><a href="([^"]+)">([^<]+)</a>',
        home.partition('id="family-pages-heading"')[2],
    )

    assert cards, "the home page lists the family's places"
    for href, label in cards:
        assert nav["urls"][label] == href
    assert set(nav["bar"][1:] + nav["more"]) - {"Account security"} == {label for _, label in cards}
    # The names that used to differ between the bar and the cards are gone.
    assert ">Help<" not in home and ">Directory<" not in home
    assert "Help between families" in home and "Peer directory" in home


def test_only_a_seed_family_sees_invite_friends(world, client):
    friend = navigation(page_of(client, world.a.friend_member, reverse("family_home")))
    assert "Invite friends" not in friend["more"]
    assert "Privacy" in friend["more"]
    client.logout()
    seed = navigation(page_of(client, world.a.seed_member, reverse("family_home")))
    assert "Invite friends" in seed["more"]


def test_the_navigation_in_french_has_the_french_names(world, client):
    client.force_login(world.a.seed_member)
    page = client.get(reverse("family_progress"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    nav = navigation(page)
    assert nav["bar"] == ["Accueil", "Questionnaires", "Progrès", "Groupe"]
    assert nav["current"] == ["Progrès"]
    assert ">Plus</summary>" in page


def partner_page(tenant, name="partner_home"):
    return reverse(name, args=[tenant.partner.slug])


def test_staff_find_their_places_by_what_their_role_allows(world, client):
    admin = navigation(page_of(client, world.a.admin, partner_page(world.a, "payments")))
    assert admin["bar"] == ["Home", "Cohorts", "Surveys"]
    assert admin["current"] == ["Payments"] and admin["more"][0] == "Payments"
    assert {"Team and invitations", "Audit trail", "Settings", "Requests"} <= set(admin["more"])
    client.logout()

    staff = navigation(page_of(client, world.a.staff, partner_page(world.a)))
    assert staff["bar"] == ["Home", "Cohorts", "Surveys"]
    assert staff["current"] == ["Home"]
    assert "Audit trail" not in staff["more"]
    assert "Team and invitations" in staff["more"]
    client.logout()

    liaison = navigation(page_of(client, world.a.liaison, partner_page(world.a)))
    assert liaison["bar"] == ["Home", "Surveys", "Requests"]
    assert "Payments" not in liaison["more"]
    assert liaison["more"] == ["Account security"]


def test_a_cohort_page_is_marked_as_the_cohorts(world, client):
    url = reverse("cohort_detail", args=[world.a.partner.slug, world.a.cohort.pk])
    assert navigation(page_of(client, world.a.staff, url))["current"] == ["Cohorts"]


def test_the_staff_home_cards_have_the_bars_names(world, client):
    home = page_of(client, world.a.admin, partner_page(world.a))
    nav = navigation(home)
    cards = re.findall(r'<li class="card"><a href="([^"]+)">([^<]+)</a>', home)
    assert ("Payments", partner_page(world.a, "payments")) in [(t, h) for h, t in cards]
    for href, label in cards:
        if label in nav["urls"]:
            assert nav["urls"][label] == href
    assert "Requests from families" not in home


def test_a_funder_and_a_platform_admin_have_their_own_places(world, client):
    funder = navigation(page_of(client, world.a.funder, reverse("funder_home")))
    assert funder["bar"] == ["Home", "Outcomes"]
    assert funder["more"] == ["Everyday Changemakers", "Account security"]
    client.logout()

    operator = UserFactory(is_superuser=True)
    enable_totp(operator)
    platform = navigation(page_of(client, operator, reverse("platform_home")))
    assert platform["bar"] == ["Partners", "Trends"]
    assert platform["more"] == ["Exchange rates", "Everyday Changemakers", "Account security"]
    assert platform["current"] == ["Partners"]


def test_a_visitor_has_no_navigation(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert 'class="main-nav"' not in page
    assert 'action="/accounts/login/"' in page
