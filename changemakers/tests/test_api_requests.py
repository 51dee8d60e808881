"""The requests-to-staff API: families ask their partner for something and the conversation goes
on in the request's thread; staff answer anything, liaisons paperwork and payments only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from families.access import FamilySeat
from families.models import Cohort, StaffRequest, StaffRequestMessage
from families.services import staff_request_create
from tests import factories
from tests.seats import signed_in

REQUESTS = "/api/v1/requests/"
PAGE_KEYS = {"count", "next", "previous", "results"}


def detail_url(request) -> str:
    return f"/api/v1/requests/{request.pk}/"


def messages_url(request) -> str:
    return f"/api/v1/requests/{request.pk}/messages/"


def asked(tenant, *, kind="paperwork", subject="Benefits form", member=None, family=None):
    member = member or tenant.seed_member
    family = family or tenant.seed_family
    return staff_request_create(
        seat=FamilySeat(user=member, family=family),
        kind=kind,
        subject=subject,
        body="Which form do we need for the school lunch benefit?",
    )


def other_partner_people(world):
    return {
        "admin": world.b.admin,
        "staff": world.b.staff,
        "liaison": world.b.liaison,
        "family": world.b.seed_member,
        "funder": world.b.funder,
        "no role": world.outsider,
    }


def family_of_another_cohort(tenant):
    cohort = factories.CohortFactory(partner=tenant.partner, name="Unassigned")
    family = factories.FamilyFactory(group=factories.GroupFactory(cohort=cohort), name="Far away")
    member = factories.UserFactory()
    factories.HouseholdMemberFactory(family=family, user=member)
    return family, member


# Sending a request -----------------------------------------------------------------------------


def test_a_family_sends_a_request_to_staff(world, api):
    response = signed_in(api, world.a.seed_member).post(
        REQUESTS,
        {"kind": "payment", "subject": "Stipend missing", "body": "October's did not arrive."},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["subject"], body["status"]) == ("payment", "Stipend missing", "open")
    assert body["family"] == {"id": world.a.seed_family.pk, "name": "Seed household A"}
    assert body["cohort"] == world.a.cohort.pk
    assert [(m["body"], m["from_staff"]) for m in body["messages"]] == [
        ("October's did not arrive.", False)
    ]
    assert body["may_answer"] is None
    request = StaffRequest.objects.get()
    assert (request.family, request.author) == (world.a.seed_family, world.a.seed_member)
    assert AuditEvent.objects.filter(verb="staff_request.create").exists()


@pytest.mark.parametrize("role", ["admin", "staff", "liaison"])
def test_staff_and_liaisons_do_not_send_requests(world, api, role):
    response = signed_in(api, getattr(world.a, role)).post(
        REQUESTS, {"kind": "other", "subject": "Hello", "body": "Hi"}, format="json"
    )

    assert response.status_code == 403
    assert not StaffRequest.objects.exists()


@pytest.mark.parametrize("who", ["funder", "no role"])
def test_people_without_a_family_do_not_send_requests(world, api, who):
    user = {"funder": world.a.funder, "no role": world.outsider}[who]

    response = signed_in(api, user).post(
        REQUESTS, {"kind": "other", "subject": "Hello", "body": "Hi"}, format="json"
    )

    assert response.status_code == 403
    assert not StaffRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"kind": None}, "kind"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"body": "  "}, "body"),
        ({"body": "x" * 4001}, "body"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_written(world, api, changes, field):
    payload = {"kind": "paperwork", "subject": "A form", "body": "Which one?"}
    payload.update(changes)

    response = signed_in(api, world.a.seed_member).post(REQUESTS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not StaffRequest.objects.exists()
    assert not StaffRequestMessage.objects.exists()


def test_a_retried_request_with_its_key_is_sent_once(world, api):
    client = signed_in(api, world.a.seed_member)
    payload = {"kind": "paperwork", "subject": "A form", "body": "Which one?"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "ask-once"}

    first = client.post(REQUESTS, payload, format="json", **headers)
    again = client.post(REQUESTS, payload, format="json", **headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert StaffRequest.objects.count() == 1


# Lists -----------------------------------------------------------------------------------------


def test_a_family_lists_its_own_requests_only(world, api):
    mine = asked(world.a)
    asked(world.a, member=world.a.friend_member, family=world.a.friend_family)
    asked(world.b)

    response = signed_in(api, world.a.seed_member).get(REQUESTS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert [(r["id"], r["message_count"]) for r in body["results"]] == [(mine.pk, 1)]
    assert "messages" not in body["results"][0]


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_list_the_requests_of_every_cohort(world, api, role):
    here = asked(world.a)
    family, member = family_of_another_cohort(world.a)
    there = asked(world.a, member=member, family=family)
    asked(world.b)

    results = signed_in(api, getattr(world.a, role)).get(REQUESTS).json()["results"]

    assert {r["id"] for r in results} == {here.pk, there.pk}


def test_a_liaison_lists_the_requests_of_the_cohorts_assigned_to_them(world, api):
    here = asked(world.a)
    family, member = family_of_another_cohort(world.a)
    asked(world.a, member=member, family=family)

    results = signed_in(api, world.a.liaison).get(REQUESTS).json()["results"]

    assert [r["id"] for r in results] == [here.pk]


def test_staff_filter_requests_by_cohort_and_status(world, api):
    open_one = asked(world.a)
    closed = asked(world.a, subject="Done")
    StaffRequest.objects.filter(pk=closed.pk).update(status=StaffRequest.Status.CLOSED)
    family, member = family_of_another_cohort(world.a)
    asked(world.a, member=member, family=family)
    client = signed_in(api, world.a.staff)

    by_cohort = client.get(REQUESTS, {"cohort": world.a.cohort.pk}).json()["results"]
    by_status = client.get(REQUESTS, {"cohort": world.a.cohort.pk, "status": "open"}).json()

    assert {r["id"] for r in by_cohort} == {open_one.pk, closed.pk}
    assert [r["id"] for r in by_status["results"]] == [open_one.pk]


def test_a_bad_status_filter_is_400_naming_it(world, api):
    response = signed_in(api, world.a.staff).get(REQUESTS, {"status": "lost"})

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison"])
def test_another_partners_cohort_as_a_filter_is_404(world, api, seat):
    response = signed_in(api, other_partner_people(world)[seat]).get(
        REQUESTS, {"cohort": world.a.cohort.pk}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family"])
def test_another_partners_people_never_list_its_requests(world, api, seat):
    asked(world.a)
    their_own = asked(world.b, subject="Partner B form")

    response = signed_in(api, other_partner_people(world)[seat]).get(REQUESTS)

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [their_own.pk]


@pytest.mark.parametrize("who", ["funder", "no role"])
def test_people_without_a_seat_or_family_do_not_list_requests(world, api, who):
    user = {"funder": world.a.funder, "no role": world.outsider}[who]

    assert signed_in(api, user).get(REQUESTS).status_code == 403


@pytest.mark.parametrize("who", ["staff", "family"])
def test_the_list_takes_as_many_queries_for_many_requests_as_for_few(world, api, who):
    client = signed_in(api, world.a.staff if who == "staff" else world.a.seed_member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REQUESTS, {"page_size": 100}).status_code == 200
        return len(captured)

    for n in range(3):
        asked(world.a, subject=f"Form {n}")
    few = queries()
    for n in range(30):
        asked(world.a, subject=f"More {n}")
    assert queries() == few


# One request -----------------------------------------------------------------------------------


def test_the_family_reads_its_request_with_the_thread(world, api):
    request = asked(world.a)

    response = signed_in(api, world.a.seed_member).get(detail_url(request))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == request.pk
    assert [m["body"] for m in body["messages"]] == [
        "Which form do we need for the school lunch benefit?"
    ]
    assert body["messages"][0]["author"] == world.a.seed_member.name


@pytest.mark.parametrize(
    ("role", "kind", "may_answer"),
    [
        ("staff", "platform", True),
        ("admin", "other", True),
        ("liaison", "paperwork", True),
        ("liaison", "payment", True),
        ("liaison", "platform", False),
        ("liaison", "other", False),
    ],
)
def test_staff_and_the_cohorts_liaison_read_a_request_and_whether_they_may_answer(
    world, api, role, kind, may_answer
):
    request = asked(world.a, kind=kind)

    response = signed_in(api, getattr(world.a, role)).get(detail_url(request))

    assert response.status_code == 200
    assert response.json()["may_answer"] is may_answer


def test_another_family_of_the_cohort_gets_404(world, api):
    request = asked(world.a)

    assert signed_in(api, world.a.friend_member).get(detail_url(request)).status_code == 404


def test_a_liaison_of_another_cohort_gets_404(world, api):
    family, member = family_of_another_cohort(world.a)
    request = asked(world.a, member=member, family=family)

    assert signed_in(api, world.a.liaison).get(detail_url(request)).status_code == 404


@pytest.mark.parametrize("seat", ["admin", "staff", "liaison", "family", "funder", "no role"])
def test_another_partners_people_get_404_for_a_request(world, api, seat):
    request = asked(world.a)
    client = signed_in(api, other_partner_people(world)[seat])

    assert client.get(detail_url(request)).status_code == 404
    assert client.post(messages_url(request), {"body": "Hi"}, format="json").status_code == 404
    assert StaffRequestMessage.objects.count() == 1


def test_a_missing_request_is_404(world, api):
    assert signed_in(api, world.a.staff).get("/api/v1/requests/999999/").status_code == 404


# The thread ------------------------------------------------------------------------------------


def test_staff_answer_a_request(world, api):
    request = asked(world.a, kind="platform")

    response = signed_in(api, world.a.staff).post(
        messages_url(request), {"body": "Tap Surveys, then the month."}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "answered"
    assert [(m["from_staff"], m["author"]) for m in body["messages"]] == [
        (False, world.a.seed_member.name),
        (True, world.a.staff.name),
    ]
    assert body["may_answer"] is True
    assert AuditEvent.objects.filter(verb="staff_request.answer", actor=world.a.staff).exists()


@pytest.mark.parametrize("phase", [1, 2])
@pytest.mark.parametrize("kind", ["paperwork", "payment"])
def test_the_cohorts_liaison_answers_paperwork_and_payments_in_any_phase(world, api, phase, kind):
    Cohort.objects.filter(pk=world.a.cohort.pk).update(phase=phase)
    request = asked(world.a, kind=kind)

    response = signed_in(api, world.a.liaison).post(
        messages_url(request), {"body": "Form 12-B, at the town hall."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "answered"


@pytest.mark.parametrize("phase", [1, 2])
@pytest.mark.parametrize("kind", ["platform", "other"])
def test_a_liaison_leaves_other_requests_to_staff(world, api, phase, kind):
    Cohort.objects.filter(pk=world.a.cohort.pk).update(phase=phase)
    request = asked(world.a, kind=kind)

    response = signed_in(api, world.a.liaison).post(
        messages_url(request), {"body": "Try this."}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"] == (
        "Liaisons answer requests about paperwork and payments; staff answer the rest."
    )
    request.refresh_from_db()
    assert request.status == "open"
    assert StaffRequestMessage.objects.count() == 1


def test_the_family_replies_and_the_request_waits_again(world, api):
    request = asked(world.a)
    StaffRequest.objects.filter(pk=request.pk).update(status=StaffRequest.Status.ANSWERED)

    response = signed_in(api, world.a.seed_member).post(
        messages_url(request), {"body": "Thanks, and where is the town hall?"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert len(body["messages"]) == 2
    assert body["may_answer"] is None


def test_the_family_closes_its_request_without_a_message(world, api):
    request = asked(world.a)

    response = signed_in(api, world.a.seed_member).post(
        messages_url(request), {"close": True}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "closed"
    assert StaffRequestMessage.objects.count() == 1


def test_a_closed_request_takes_no_more_messages(world, api):
    request = asked(world.a)
    StaffRequest.objects.filter(pk=request.pk).update(status=StaffRequest.Status.CLOSED)

    for user in [world.a.seed_member, world.a.staff]:
        response = signed_in(api, user).post(messages_url(request), {"body": "?"}, format="json")
        assert response.status_code == 409
    assert StaffRequestMessage.objects.count() == 1


@pytest.mark.parametrize("who", ["family", "staff"])
@pytest.mark.parametrize("payload", [{}, {"body": "   "}, {"body": "x" * 4001}])
def test_an_empty_or_too_long_message_is_400_naming_body(world, api, who, payload):
    request = asked(world.a)
    user = world.a.seed_member if who == "family" else world.a.staff

    response = signed_in(api, user).post(messages_url(request), payload, format="json")

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    request.refresh_from_db()
    assert request.status == "open"
    assert StaffRequestMessage.objects.count() == 1


def test_another_family_may_not_write_in_the_thread(world, api):
    request = asked(world.a)

    response = signed_in(api, world.a.friend_member).post(
        messages_url(request), {"body": "Me too"}, format="json"
    )

    assert response.status_code == 404
    assert StaffRequestMessage.objects.count() == 1


def test_a_funder_may_not_write_in_the_thread(world, api):
    request = asked(world.a)

    response = signed_in(api, world.a.funder).post(
        messages_url(request), {"body": "Hello"}, format="json"
    )

    assert response.status_code == 404


def test_a_retried_answer_with_its_key_is_written_once(world, api):
    request = asked(world.a)
    client = signed_in(api, world.a.staff)
    headers = {"HTTP_IDEMPOTENCY_KEY": "answer-once"}

    first = client.post(messages_url(request), {"body": "Form 12-B."}, format="json", **headers)
    again = client.post(messages_url(request), {"body": "Form 12-B."}, format="json", **headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert StaffRequestMessage.objects.filter(from_staff=True).count() == 1
