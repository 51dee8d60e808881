"""A family of an earlier demonstration consults a newer cohort: staff invite it, the family
accepts or declines, and while it consults it posts in that cohort's feed as a peer.

Pages: `/family/consulting/` (invitations and consultancies), `/family/consulting/<id>/answer/`
and `/family/consulting/<id>/` (the consulted cohort's feed, posting, stopping).
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from families import selectors, services
from families.access import FamilySeat
from families.models import Comment, Family, PeerConsultant, Post, Reaction
from tests import clock, factories
from tests.seats import seed_seat

CONSULTING = reverse("family_consulting")


@dataclass
class Newer:
    """A cohort that started after world.a's, with one family of its own."""

    cohort: object
    family: Family
    member: object


@pytest.fixture
def newer(world) -> Newer:
    cohort = factories.CohortFactory(
        partner=world.a.partner,
        name="Hillside 2027",
        region="Hillside",
        started_on=clock.month(1),
    )
    group = factories.GroupFactory(cohort=cohort, name="Hillside group")
    family = factories.FamilyFactory(group=group, name="Hillside household", is_seed=True)
    member = factories.HouseholdMemberFactory(family=family, first_name="Hana").user
    return Newer(cohort=cohort, family=family, member=member)


def signed_in(client, user):
    client.force_login(user)
    return client


def staff_seat(tenant) -> policy.Seat:
    return policy.access_partner(tenant.staff, tenant.partner.slug)


def invite(world, newer) -> PeerConsultant:
    return services.peer_invite(
        seat=staff_seat(world.a), family=world.a.seed_family, cohort=newer.cohort
    )


def active(world, newer) -> PeerConsultant:
    consultancy = invite(world, newer)
    return services.peer_answer(seat=seed_seat(world.a), consultancy=consultancy, accept=True)


def answer_url(consultancy) -> str:
    return reverse("family_consulting_answer", args=[consultancy.pk])


def feed_url(consultancy) -> str:
    return reverse("family_consulting_feed", args=[consultancy.pk])


def status_of(consultancy) -> str:
    consultancy.refresh_from_db()
    return consultancy.status


def home_body(client, user) -> str:
    """The family's home page. Its cards come from `selectors.family_home_cards`, which the
    home view passes on; until it does, the page is rendered here with them."""
    response = signed_in(client, user).get(reverse("family_home"))
    assert response.status_code == 200
    if "consulting_counts" in response.context:
        return response.content.decode()
    context = response.context[0].flatten()
    context.update(selectors.family_home_cards(context["family"]))
    return render_to_string("home/family.html", context, request=response.wsgi_request)


# Invitations -------------------------------------------------------------------------------------


def test_the_family_sees_the_invitation_with_the_cohort_and_who_invited(world, client, newer):
    invite(world, newer)

    response = signed_in(client, world.a.seed_member).get(CONSULTING)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Hillside 2027" in body
    assert "Hillside" in body
    assert f"Invited by {world.a.staff.display_name} (Partner A)" in body
    assert "Accept: consult Hillside 2027" in body
    assert "Decline" in body


def test_without_invitations_the_page_says_so_and_the_home_has_no_consulting_card(
    world, client, newer
):
    response = signed_in(client, world.a.friend_member).get(CONSULTING)
    assert response.status_code == 200
    assert "No invitation to consult another cohort for now." in response.content.decode()
    home = home_body(client, world.a.friend_member)
    assert "Your household" in home
    assert f'href="{CONSULTING}"' not in home


def test_the_home_shows_the_consulting_card_with_an_invitation_or_a_consultancy(
    world, client, newer
):
    consultancy = invite(world, newer)
    body = home_body(client, world.a.seed_member)
    assert f'href="{CONSULTING}"' in body
    assert "1 invitation" in body

    services.peer_answer(seat=seed_seat(world.a), consultancy=consultancy, accept=True)
    body = home_body(client, world.a.seed_member)
    assert f'href="{CONSULTING}"' in body
    assert "invitation" not in body.split(f'href="{CONSULTING}"')[1].split("</li>")[0]

    services.peer_end(seat=seed_seat(world.a), consultancy=consultancy)
    body = home_body(client, world.a.seed_member)
    assert "Your household" in body
    assert f'href="{CONSULTING}"' not in body


def test_the_family_accepts_and_lands_on_the_consulted_cohorts_feed(world, client, newer):
    consultancy = invite(world, newer)

    response = signed_in(client, world.a.seed_member).post(
        answer_url(consultancy), {"answer": "accept"}
    )

    assert response.status_code == 302
    assert response["Location"] == feed_url(consultancy)
    assert status_of(consultancy) == PeerConsultant.Status.ACTIVE
    page = client.get(feed_url(consultancy))
    assert page.status_code == 200
    assert "You now consult Hillside 2027" in page.content.decode()
    assert "Consulting Hillside 2027" in page.content.decode()


def test_declining_asks_first_then_ends_the_invitation(world, client, newer):
    consultancy = invite(world, newer)
    signed_in(client, world.a.seed_member)

    asked = client.post(answer_url(consultancy), {"answer": "decline"})
    assert asked.status_code == 200
    assert "Yes, decline" in asked.content.decode()
    assert status_of(consultancy) == PeerConsultant.Status.INVITED

    response = client.post(answer_url(consultancy), {"answer": "decline", "confirm": "yes"})
    assert response.status_code == 302
    assert status_of(consultancy) == PeerConsultant.Status.DECLINED
    page = client.get(CONSULTING)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Declined" in body
    assert "Accept: consult" not in body


def test_a_missing_answer_is_refused_and_nothing_changes(world, client, newer):
    consultancy = invite(world, newer)
    response = signed_in(client, world.a.seed_member).post(
        answer_url(consultancy), {"answer": "maybe"}
    )
    assert response.status_code == 400
    assert "Say whether you accept or decline." in response.content.decode()
    assert status_of(consultancy) == PeerConsultant.Status.INVITED


def test_an_answered_invitation_cannot_be_answered_again(world, client, newer):
    consultancy = active(world, newer)
    response = signed_in(client, world.a.seed_member).post(
        answer_url(consultancy), {"answer": "decline", "confirm": "yes"}, follow=True
    )
    assert "This invitation was already answered." in response.content.decode()
    assert status_of(consultancy) == PeerConsultant.Status.ACTIVE


def test_the_feed_of_an_invitation_not_yet_accepted_is_refused(world, client, newer):
    consultancy = invite(world, newer)
    response = signed_in(client, world.a.seed_member).get(feed_url(consultancy))
    assert response.status_code == 403
    assert "Accept the invitation first" in response.content.decode()


# Posting as a peer -------------------------------------------------------------------------------


def test_the_peer_posts_and_the_cohorts_families_see_it_marked_as_a_peers(world, client, newer):
    consultancy = active(world, newer)

    response = signed_in(client, world.a.seed_member).post(
        feed_url(consultancy), {"body": "We started a savings circle with five neighbours."}
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.source == Post.Source.PEER
    assert post.cohort == newer.cohort
    assert post.family == world.a.seed_family
    assert post.group is None
    assert post.visibility == Post.Visibility.COHORT
    assert "We started a savings circle" in client.get(feed_url(consultancy)).content.decode()

    body = signed_in(client, newer.member).get(reverse("family_feed_cohort")).content.decode()
    assert "We started a savings circle with five neighbours." in body
    assert "Peer consultant" in body
    assert "Seed household A, peer consultant" in body


def test_the_cohorts_families_comment_and_react_on_a_peers_post(world, client, newer):
    consultancy = active(world, newer)
    post = services.peer_post_create(seat=seed_seat(world.a), consultancy=consultancy, body="Hi!")
    signed_in(client, newer.member)

    detail = client.get(reverse("family_post_detail", args=[post.pk]))
    assert detail.status_code == 200
    assert "Peer consultant" in detail.content.decode()
    commented = client.post(
        reverse("family_post_comment", args=[post.pk]), {"body": "How often do you meet?"}
    )
    assert commented.status_code == 302
    reacted = client.post(reverse("family_post_react", args=[post.pk]), {"kind": "thanks"})
    assert reacted.status_code == 302

    assert Comment.objects.get(post=post).family == newer.family
    assert Reaction.objects.get(post=post).kind == "thanks"
    body = client.get(reverse("family_post_detail", args=[post.pk])).content.decode()
    assert "How often do you meet?" in body
    assert "Thanks (1)" in body
    # The peer reads the counts on the consulted cohort's feed.
    peer_view = signed_in(client, world.a.seed_member).get(feed_url(consultancy))
    assert "Thanks: 1" in peer_view.content.decode()
    assert "1 comment" in peer_view.content.decode()


def test_the_peers_own_group_and_cohort_feeds_do_not_show_its_consulting_posts(
    world, client, newer
):
    consultancy = active(world, newer)
    services.peer_post_create(
        seat=seed_seat(world.a), consultancy=consultancy, body="For the Hillside families"
    )
    for user in [world.a.seed_member, world.a.friend_member]:
        signed_in(client, user)
        for name in ["family_feed_group", "family_feed_cohort"]:
            response = client.get(reverse(name))
            assert response.status_code == 200
            assert "Nothing shared yet. Be the first!" in response.content.decode()
            assert "For the Hillside families" not in response.content.decode()
    assert not selectors.group_feed(seed_seat(world.a)).exists()


def test_the_consulting_feed_shows_only_what_the_cohort_shares_with_all(world, client, newer):
    consultancy = active(world, newer)
    newer_seat = FamilySeat(user=newer.member, family=newer.family)
    services.post_create(seat=newer_seat, body="For the whole cohort", visibility="cohort")
    services.post_create(seat=newer_seat, body="Only for our group", visibility="group")
    services.post_create(
        seat=seed_seat(world.a), body="In the peer's own cohort", visibility="cohort"
    )

    response = signed_in(client, world.a.seed_member).get(feed_url(consultancy))

    assert response.status_code == 200
    body = response.content.decode()
    assert "For the whole cohort" in body
    assert "Only for our group" not in body
    assert "In the peer&#x27;s own cohort" not in body
    # A peer reads; reacting and commenting belong to the cohort's families.
    assert (
        reverse("family_post_react", args=[Post.objects.get(body="For the whole cohort").pk])
        not in body
    )


def test_an_empty_post_is_refused_naming_the_field_and_nothing_is_written(world, client, newer):
    consultancy = active(world, newer)
    response = signed_in(client, world.a.seed_member).post(feed_url(consultancy), {"body": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write something to share."]
    assert 'id="id_body_error"' in response.content.decode()
    assert not Post.objects.exists()


def test_stopping_asks_first_then_ends_the_consultancy(world, client, newer):
    consultancy = active(world, newer)
    signed_in(client, world.a.seed_member)

    asked = client.post(feed_url(consultancy), {"action": "end"})
    assert asked.status_code == 200
    assert "Yes, stop consulting" in asked.content.decode()
    assert status_of(consultancy) == PeerConsultant.Status.ACTIVE

    response = client.post(feed_url(consultancy), {"action": "end", "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == CONSULTING
    assert status_of(consultancy) == PeerConsultant.Status.ENDED


@pytest.mark.parametrize("end", ["declined", "ended"])
def test_a_declined_or_ended_consultancy_cannot_post(world, client, newer, end):
    consultancy = invite(world, newer)
    if end == "declined":
        services.peer_answer(seat=seed_seat(world.a), consultancy=consultancy, accept=False)
    else:
        services.peer_answer(seat=seed_seat(world.a), consultancy=consultancy, accept=True)
        services.peer_end(seat=seed_seat(world.a), consultancy=consultancy)
    signed_in(client, world.a.seed_member)

    assert client.get(feed_url(consultancy)).status_code == 403
    response = client.post(feed_url(consultancy), {"body": "Still here?"})
    assert response.status_code == 403
    assert "You no longer consult this cohort" in response.content.decode()
    assert not Post.objects.exists()


# Who may reach a consultancy ---------------------------------------------------------------------


def test_another_familys_consultancy_is_not_found(world, client, newer):
    consultancy = active(world, newer)
    for user in [world.a.friend_member, newer.member, world.b.seed_member]:
        signed_in(client, user)
        assert client.get(feed_url(consultancy)).status_code == 404
        assert client.post(feed_url(consultancy), {"body": "Hello"}).status_code == 404
        ending = {"action": "end", "confirm": "yes"}
        assert client.post(feed_url(consultancy), ending).status_code == 404
        answer = {"answer": "decline", "confirm": "yes"}
        assert client.post(answer_url(consultancy), answer).status_code == 404
    assert status_of(consultancy) == PeerConsultant.Status.ACTIVE
    assert not Post.objects.exists()


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "funder"])
def test_people_who_are_not_a_family_get_404(world, client, newer, role):
    consultancy = invite(world, newer)
    signed_in(client, getattr(world.a, role))
    assert client.get(CONSULTING).status_code == 404
    assert client.get(feed_url(consultancy)).status_code == 404
    assert client.post(answer_url(consultancy), {"answer": "accept"}).status_code == 404
    assert status_of(consultancy) == PeerConsultant.Status.INVITED


def test_answering_takes_a_post_only(world, client, newer):
    consultancy = invite(world, newer)
    assert signed_in(client, world.a.seed_member).get(answer_url(consultancy)).status_code == 405


# Lists stay fast -------------------------------------------------------------------------------


def _posts(newer, count):
    Post.objects.bulk_create(
        Post(
            partner=newer.cohort.partner,
            cohort=newer.cohort,
            group=newer.family.group,
            family=newer.family,
            author=newer.member,
            body=f"Post {n}",
            visibility=Post.Visibility.COHORT,
        )
        for n in range(count)
    )


def test_the_consulting_feed_queries_do_not_grow_with_the_posts(world, client, newer):
    consultancy = active(world, newer)
    signed_in(client, world.a.seed_member)
    _posts(newer, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(feed_url(consultancy)).status_code == 200
    _posts(newer, 90)
    with CaptureQueriesContext(connection) as many:
        response = client.get(feed_url(consultancy))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)


def test_the_consulting_list_queries_do_not_grow_with_the_invitations(world, client):
    seat = staff_seat(world.a)

    def more(count, start):
        for n in range(start, start + count):
            cohort = factories.CohortFactory(
                partner=world.a.partner, name=f"Later {n}", started_on=clock.month(1)
            )
            services.peer_invite(seat=seat, family=world.a.seed_family, cohort=cohort)

    signed_in(client, world.a.seed_member)
    more(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CONSULTING).status_code == 200
    more(27, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CONSULTING)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
