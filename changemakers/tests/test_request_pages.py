"""Families' requests to staff, on the staff's and liaisons' pages: the list of the cohorts they
may see (waiting ones first, filtered, paged) and a request's thread. Staff answer any request;
liaisons answer paperwork and payment requests in any phase and read the policy's words for the
others. Another partner's people and liaisons of other cohorts get 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from families.access import FamilySeat
from families.models import StaffRequest, StaffRequestMessage
from families.selectors import open_staff_request_count
from families.services import staff_request_create
from tests.factories import CohortFactory, FamilyFactory, GroupFactory, HouseholdMemberFactory


def list_url(tenant, **query):
    path = reverse("staff_requests", kwargs={"partner_slug": tenant.partner.slug})
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def detail_url(tenant, request):
    return reverse(
        "staff_request_detail",
        kwargs={"partner_slug": tenant.partner.slug, "request_id": request.pk},
    )


def ask(family, user, kind="paperwork", subject="Which benefits form?", body="We need help."):
    return staff_request_create(
        seat=FamilySeat(user=user, family=family), kind=kind, subject=subject, body=body
    )


def seed_asks(tenant, **kwargs):
    return ask(tenant.seed_family, tenant.seed_member, **kwargs)


def platform_words(world) -> str:
    seat = policy.access_partner(world.a.liaison, world.a.partner.slug)
    return policy.phase_refusal(seat, world.a.cohort, "request.answer_other")


@pytest.fixture
def elsewhere(world):
    """A family of another cohort of partner A, whose liaison is not world.a.liaison."""
    cohort = CohortFactory(partner=world.a.partner, name="Hillside")
    family = FamilyFactory(group=GroupFactory(cohort=cohort), name="Hillside household")
    member = HouseholdMemberFactory(family=family, first_name="Hal")
    return family, member.user


# The list ---------------------------------------------------------------------------------------


def test_staff_see_every_request_of_their_partner_waiting_ones_first(world, client, elsewhere):
    answered = seed_asks(world.a, subject="An older question")
    StaffRequest.objects.filter(pk=answered.pk).update(status=StaffRequest.Status.ANSWERED)
    seed_asks(world.a, subject="Where is my stipend?", kind="payment")
    ask(*elsewhere, subject="From Hillside")
    seed_asks(world.b, subject="Partner B's question")

    client.force_login(world.a.staff)
    response = client.get(list_url(world.a))
    body = response.content.decode()
    assert response.status_code == 200
    subjects = [item.subject for item in response.context["page"].object_list]
    assert subjects == ["From Hillside", "Where is my stipend?", "An older question"]
    assert "Partner B's question" not in body
    assert "Seed household A" in body and "Waiting for an answer" in body


def test_the_list_filters_by_status(world, client):
    done = seed_asks(world.a, subject="Done already")
    StaffRequest.objects.filter(pk=done.pk).update(status=StaffRequest.Status.CLOSED)
    seed_asks(world.a, subject="Still waiting")
    client.force_login(world.a.staff)
    response = client.get(list_url(world.a, status="closed"))
    assert [r.subject for r in response.context["page"].object_list] == ["Done already"]
    response = client.get(list_url(world.a, status="nonsense"))
    assert response.status_code == 400
    assert len(response.context["page"].object_list) == 2  # a bad filter is left out


def test_a_liaison_sees_only_the_requests_of_their_cohorts(world, client, elsewhere):
    seed_asks(world.a, subject="Ours")
    ask(*elsewhere, subject="From Hillside")
    client.force_login(world.a.liaison)
    response = client.get(list_url(world.a))
    assert response.status_code == 200
    assert [r.subject for r in response.context["page"].object_list] == ["Ours"]
    assert "From Hillside" not in response.content.decode()


def test_another_partners_people_get_404_on_the_list(world, client):
    for seat in ("admin", "staff", "liaison"):
        client.force_login(getattr(world.b, seat))
        assert client.get(list_url(world.a)).status_code == 404


def test_the_list_does_not_grow_in_queries_with_requests(
    world, client, django_assert_max_num_queries
):
    for i in range(10):
        seed_asks(world.a, subject=f"Question {i}")
    with_ten = {}
    for user in (world.a.staff, world.a.liaison):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url(world.a)).status_code == 200
        with_ten[user.pk] = len(queries)
    for i in range(90):
        ask(world.a.friend_family, world.a.friend_member, subject=f"More {i}")
    for user in (world.a.staff, world.a.liaison):
        client.force_login(user)
        with django_assert_max_num_queries(with_ten[user.pk]):
            response = client.get(list_url(world.a))
        assert response.context["page"].paginator.count == 100


def test_the_home_pages_link_to_the_requests(world, client):
    seed_asks(world.a)
    for user in (world.a.staff, world.a.liaison):
        client.force_login(user)
        body = client.get(reverse("partner_home", args=[world.a.partner.slug])).content.decode()
        # The place has one name, in the navigation and on the home page.
        assert f'href="{list_url(world.a)}">Requests' in body
        assert "waiting" in body


def test_the_open_count_covers_the_seats_cohorts_only(world, elsewhere):
    seed_asks(world.a)
    ask(*elsewhere)
    answered = seed_asks(world.a)
    StaffRequest.objects.filter(pk=answered.pk).update(status=StaffRequest.Status.ANSWERED)
    seed_asks(world.b)
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    liaison = policy.access_partner(world.a.liaison, world.a.partner.slug)
    assert open_staff_request_count(staff) == 2
    assert open_staff_request_count(liaison) == 1


# A request and its answer -----------------------------------------------------------------------


@pytest.mark.parametrize("phase", [1, 2])
def test_a_liaison_answers_a_paperwork_request_in_either_phase(world, client, phase):
    world.a.cohort.phase = phase
    world.a.cohort.save()
    request = seed_asks(world.a, kind="paperwork")
    client.force_login(world.a.liaison)
    page = client.get(detail_url(world.a, request))
    assert page.status_code == 200
    assert "We need help." in page.content.decode()
    assert 'name="body"' in page.content.decode()
    response = client.post(
        detail_url(world.a, request), {"body": "Form B-12, at the town hall."}, follow=True
    )
    assert "Your answer is sent to the family." in response.content.decode()
    request.refresh_from_db()
    assert request.status == StaffRequest.Status.ANSWERED
    answer = StaffRequestMessage.objects.filter(request=request, from_staff=True).get()
    assert answer.body == "Form B-12, at the town hall."
    assert answer.author == world.a.liaison


@pytest.mark.parametrize("phase", [1, 2])
def test_a_liaison_reads_the_refusal_words_for_a_platform_request(world, client, phase):
    world.a.cohort.phase = phase
    world.a.cohort.save()
    request = seed_asks(world.a, kind="platform", subject="How do I add a photo?")
    client.force_login(world.a.liaison)
    page = client.get(detail_url(world.a, request))
    body = page.content.decode()
    assert page.status_code == 200
    assert platform_words(world) in body
    assert "staff answer the rest" in platform_words(world)
    assert 'name="body"' not in body
    response = client.post(detail_url(world.a, request), {"body": "Tap the camera."})
    assert response.status_code == 403
    assert platform_words(world) in response.content.decode()
    assert not StaffRequestMessage.objects.filter(request=request, from_staff=True).exists()
    request.refresh_from_db()
    assert request.status == StaffRequest.Status.OPEN


@pytest.mark.parametrize("kind", ["paperwork", "payment", "platform", "other"])
def test_staff_answer_any_request_and_may_close_it(world, client, kind):
    request = seed_asks(world.a, kind=kind)
    client.force_login(world.a.staff)
    response = client.post(
        detail_url(world.a, request), {"body": "Done on our side.", "close": "on"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == StaffRequest.Status.CLOSED
    page = client.get(detail_url(world.a, request))
    assert page.status_code == 200
    body = page.content.decode()
    assert "This request is closed." in body
    assert 'name="body"' not in body


def test_answering_a_closed_request_changes_nothing(world, client):
    request = seed_asks(world.a)
    StaffRequest.objects.filter(pk=request.pk).update(status=StaffRequest.Status.CLOSED)
    client.force_login(world.a.staff)
    response = client.post(detail_url(world.a, request), {"body": "Late answer."})
    assert response.status_code == 409
    assert "This request is closed." in response.content.decode()
    assert not StaffRequestMessage.objects.filter(request=request, from_staff=True).exists()


def test_an_empty_answer_is_a_400_naming_the_field(world, client):
    request = seed_asks(world.a)
    client.force_login(world.a.staff)
    response = client.post(detail_url(world.a, request), {"body": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write your answer."]
    assert not StaffRequestMessage.objects.filter(request=request, from_staff=True).exists()


def test_a_liaison_of_another_cohort_gets_404(world, client, elsewhere):
    request = ask(*elsewhere)
    client.force_login(world.a.liaison)
    assert client.get(detail_url(world.a, request)).status_code == 404
    assert client.post(detail_url(world.a, request), {"body": "x"}).status_code == 404
    assert not StaffRequestMessage.objects.filter(request=request, from_staff=True).exists()


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_people_get_404_on_a_request(world, client, seat):
    request = seed_asks(world.a)
    client.force_login(getattr(world.b, seat))
    assert client.get(detail_url(world.a, request)).status_code == 404
    # Even through their own partner's address.
    assert client.get(detail_url(world.b, request)).status_code == 404
    assert client.post(detail_url(world.b, request), {"body": "x"}).status_code == 404
    assert not StaffRequestMessage.objects.filter(request=request, from_staff=True).exists()
