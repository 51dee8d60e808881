"""A family asks its partner for something and reads the answer in a thread.

Pages: `/family/requests/` (the family's requests and the form to ask) and
`/family/requests/<id>/` (the thread, a reply, closing). Staff answer with the services.
"""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent
from families import selectors, services
from families.models import StaffRequest, StaffRequestMessage
from tests.seats import seed_seat

REQUESTS = reverse("family_requests")


def signed_in(client, user):
    client.force_login(user)
    return client


def staff_seat(tenant, role="staff") -> policy.Seat:
    return policy.access_partner(getattr(tenant, role), tenant.partner.slug)


def ask(tenant, subject="The benefits form", kind="paperwork") -> StaffRequest:
    return services.staff_request_create(
        seat=seed_seat(tenant), kind=kind, subject=subject, body="Which form do we fill in?"
    )


def detail_url(staff_request) -> str:
    return reverse("family_request_detail", args=[staff_request.pk])


def written() -> tuple[int, int, int]:
    return (
        StaffRequest.objects.count(),
        StaffRequestMessage.objects.count(),
        AuditEvent.objects.count(),
    )


def home_body(client, user) -> str:
    """The family's home page. Its cards' counts come from `selectors.family_home_cards`, which
    the home view passes on; until it does, the page is rendered here with them."""
    response = signed_in(client, user).get(reverse("family_home"))
    assert response.status_code == 200
    if "request_counts" in response.context:
        return response.content.decode()
    context = response.context[0].flatten()
    context.update(selectors.family_home_cards(context["family"]))
    return render_to_string("home/family.html", context, request=response.wsgi_request)


# The list and the form -------------------------------------------------------------------------


def test_the_family_sees_its_requests_with_their_status(world, client):
    ask(world.a, subject="The benefits form")
    answered = ask(world.a, subject="My stipend did not arrive", kind="payment")
    services.staff_request_answer(seat=staff_seat(world.a), request=answered, body="Sent today.")

    response = signed_in(client, world.a.seed_member).get(REQUESTS)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ask your partner" in body
    assert "The benefits form" in body
    assert "Waiting for an answer" in body
    assert "My stipend did not arrive" in body
    assert "Answered" in body
    assert "A problem with a payment" in body


def test_another_family_of_the_group_does_not_see_them(world, client):
    ask(world.a, subject="The benefits form")
    response = signed_in(client, world.a.friend_member).get(REQUESTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The benefits form" not in body
    assert "You have not asked anything yet." in body


def test_the_family_sends_a_request_and_lands_on_its_thread(world, client):
    response = signed_in(client, world.a.seed_member).post(
        REQUESTS,
        {"kind": "platform", "subject": "How do I add a photo?", "body": "The button is grey."},
    )

    created = StaffRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(created)
    assert created.family == world.a.seed_family
    assert created.cohort == world.a.cohort
    assert created.kind == "platform"
    assert created.status == StaffRequest.Status.OPEN
    assert created.messages.get().body == "The button is grey."
    assert AuditEvent.objects.filter(verb="staff_request.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Your request was sent." in page
    assert "The button is grey." in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"kind": "paperwork", "subject": "", "body": "Hello"}, "subject", "short subject"),
        ({"kind": "paperwork", "subject": "A form", "body": "  "}, "body", "what you need"),
        ({"kind": "a-favour", "subject": "A form", "body": "Hello"}, "kind", "valid choice"),
        ({"subject": "A form", "body": "Hello"}, "kind", "what your request is about"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    world, client, data, field, message
):
    before = written()

    response = signed_in(client, world.a.seed_member).post(REQUESTS, data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode() or field == "kind"
    assert written() == before


# The thread --------------------------------------------------------------------------------------


def test_the_family_asks_staff_answer_the_family_replies_and_closes(world, client):
    signed_in(client, world.a.seed_member)
    client.post(
        REQUESTS,
        {"kind": "paperwork", "subject": "The housing form", "body": "Where do we sign?"},
    )
    staff_request = StaffRequest.objects.get()
    url = detail_url(staff_request)

    # A liaison of the cohort answers paperwork, in phase I too.
    services.staff_request_answer(
        seat=staff_seat(world.a, "liaison"),
        request=staff_request,
        body="Page 3, at the bottom.",
    )
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Answered" in body
    assert "Page 3, at the bottom." in body
    assert "From your partner" in body
    assert "Partner A" in body

    response = client.post(url, {"body": "Thank you, and the date?"})
    assert response.status_code == 302
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN
    assert list(staff_request.messages.values_list("from_staff", "body")) == [
        (False, "Where do we sign?"),
        (True, "Page 3, at the bottom."),
        (False, "Thank you, and the date?"),
    ]

    # Closing asks first...
    asked = client.post(url, {"action": "close"})
    assert asked.status_code == 200
    assert "Yes, close it" in asked.content.decode()
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN
    # ...then closes.
    closed = client.post(url, {"action": "close", "confirm": "yes"})
    assert closed.status_code == 302
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.CLOSED
    answer = client.get(url)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "This request is closed." in body
    assert "Close this request" not in body
    assert 'name="body"' not in body


def test_an_empty_reply_is_refused_naming_the_field_and_nothing_is_written(world, client):
    staff_request = ask(world.a)
    before = written()

    response = signed_in(client, world.a.seed_member).post(
        detail_url(staff_request), {"body": "   "}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write your message."]
    assert 'id="id_body_error"' in response.content.decode()
    assert written() == before


def test_a_closed_request_takes_no_more_messages(world, client):
    staff_request = ask(world.a)
    services.staff_request_reply(
        seat=seed_seat(world.a), request=staff_request, body="", close=True
    )
    before = written()

    response = signed_in(client, world.a.seed_member).post(
        detail_url(staff_request), {"body": "One more thing"}, follow=True
    )

    assert "This request is closed." in response.content.decode()
    assert written() == before


def test_the_long_thread_paginates(world, client):
    staff_request = ask(world.a)
    for n in range(30):
        StaffRequestMessage.objects.create(
            partner=world.a.partner, request=staff_request, body=f"Message number {n}"
        )
    response = signed_in(client, world.a.seed_member).get(detail_url(staff_request))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Which form do we fill in?" in body
    assert "Message number 23" in body
    assert "Message number 24" not in body
    assert "Page 1 of 2" in body


# Who may see a request ---------------------------------------------------------------------------


def test_another_familys_request_is_not_found(world, client):
    staff_request = ask(world.a)
    for user in [world.a.friend_member, world.b.seed_member]:
        signed_in(client, user)
        assert client.get(detail_url(staff_request)).status_code == 404
        before = written()
        assert client.post(detail_url(staff_request), {"body": "Hi"}).status_code == 404
        closing = {"action": "close", "confirm": "yes"}
        assert client.post(detail_url(staff_request), closing).status_code == 404
        assert written() == before
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "funder"])
def test_people_who_are_not_a_family_get_404(world, client, role):
    staff_request = ask(world.a)
    signed_in(client, getattr(world.a, role))
    assert client.get(REQUESTS).status_code == 404
    assert client.get(detail_url(staff_request)).status_code == 404
    assert client.post(REQUESTS, {"kind": "other", "subject": "x", "body": "y"}).status_code == 404
    assert StaffRequest.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    response = client.get(REQUESTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Lists stay fast -------------------------------------------------------------------------------


def _many_requests(tenant, count):
    StaffRequest.objects.bulk_create(
        StaffRequest(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=tenant.seed_family,
            kind="other",
            subject=f"Question {n}",
        )
        for n in range(count)
    )


def test_the_requests_page_queries_do_not_grow_with_the_requests(world, client):
    signed_in(client, world.a.seed_member)
    _many_requests(world.a, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(REQUESTS).status_code == 200
    _many_requests(world.a, 90)
    with CaptureQueriesContext(connection) as many:
        response = client.get(REQUESTS)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)


# The home page -----------------------------------------------------------------------------------


def test_the_home_page_leads_to_the_requests_and_counts_answers_to_read(world, client):
    body = home_body(client, world.a.seed_member)
    assert "Welcome, " in body
    assert "Your household" in body
    assert f'href="{REQUESTS}"' in body
    assert "Ask your partner" in body
    assert "answer to read" not in body

    first, second = ask(world.a, subject="One"), ask(world.a, subject="Two")
    body = home_body(client, world.a.seed_member)
    assert "2 waiting for an answer" in body

    services.staff_request_answer(seat=staff_seat(world.a), request=first, body="Done.")
    services.staff_request_answer(seat=staff_seat(world.a), request=second, body="Done too.")
    assert "2 answers to read" in home_body(client, world.a.seed_member)

    services.staff_request_reply(seat=seed_seat(world.a), request=first, body="", close=True)
    assert "1 answer to read" in home_body(client, world.a.seed_member)
    # Another family's answers are not counted on this family's home.
    friend_home = home_body(client, world.a.friend_member)
    assert "Friend household A" in friend_home
    assert "answer to read" not in friend_home
