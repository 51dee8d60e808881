"""Staff's candidates page and dismissing: reasons in words, filters and pagination, a flat
query count, a confirmation before dismissing (audited, 409 once decided, reversible), liaisons
403 and partner B 404."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_percent
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts import policy
from accounts.models import AuditEvent
from changemakers.models import Candidate
from changemakers.selectors.candidates import reason_texts
from changemakers.services.candidates import candidate_dismiss, candidate_restore
from changemakers.tests import candidate_data as data
from changemakers.tests.candidate_data import SEPTEMBER
from mutuality.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests import clock, factories

pytestmark = pytest.mark.django_db


def list_url(tenant, **query):
    url = reverse("changemaker_candidates", kwargs={"partner_slug": tenant.partner.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def dismiss_url(tenant, candidate):
    return reverse(
        "candidate_dismiss",
        kwargs={"partner_slug": tenant.partner.slug, "candidate_id": candidate.pk},
    )


def restore_url(tenant, candidate):
    return reverse(
        "candidate_restore",
        kwargs={"partner_slug": tenant.partner.slug, "candidate_id": candidate.pk},
    )


def seat_of(tenant, user=None):
    return policy.access_partner(user or tenant.staff, tenant.partner.slug)


# Reasons in words ------------------------------------------------------------------------------


def test_reason_texts_say_each_reason_in_the_viewers_language():
    reasons = [
        {"code": "income_up", "points": 20, "values": {"percent": "35"}},
        {"code": "help_across_groups", "points": 15, "values": {"families": 3, "exchanges": 4}},
        {"code": "help_across_groups", "points": 5, "values": {"families": 1, "exchanges": 1}},
        {
            "code": "practice_followed",
            "points": 20,
            "values": {
                "families": 4,
                "practice": "savings-circle",
                "practice_names": {"en": "Savings circle", "es": "Círculo de ahorro"},
            },
        },
        {"code": "stories", "points": 10, "values": {"stories": 2}},
        {"code": "group_venture", "points": 10, "values": {"ventures": 1}},
        {
            "code": "funding_received",
            "points": 15,
            "values": {"amount": "200.00", "currency": "USD", "funders": 1},
        },
        {"code": "something_newer", "points": 1, "values": {}},
    ]
    with translation.override("en"):
        assert reason_texts(reasons) == [
            "Income up 35% since the baseline",
            "Helped 3 families of other groups",
            "Helped 1 family of another group",
            "Savings circle: 4 families took it up after them",
            "Shared 2 stories",
            "Part of a group venture",
            f"Received {format_currency(Decimal('200'), 'USD', locale='en')} from funders",
            "Something newer",
        ]
    with translation.override("es"):
        assert "Círculo de ahorro" in reason_texts(reasons)[3]
        spanish = reason_texts(reasons)
    assert format_percent(Decimal("0.35"), locale="es") in spanish[0]
    assert format_currency(Decimal("200"), "USD", locale="es") in spanish[6]
    assert reason_texts(None) == []


# The list --------------------------------------------------------------------------------------


def test_staff_see_candidates_with_their_reasons(world, client):
    data.candidate(world.a, score=45)
    group = data.candidate(world.a, kind="group", score=35)
    client.force_login(world.a.staff)
    response = client.get(list_url(world.a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Seed household A" in body and "Group A" in body
    assert "Cohort A" in body and clock.month_label(-2) in body
    assert "score 45" in body and "score 35" in body
    assert "Income up 52% since the baseline" in body
    assert "Shared 2 stories" in body
    assert dismiss_url(world.a, group) in body
    nominate = reverse(
        "feature_nominate",
        kwargs={"partner_slug": world.a.partner.slug, "candidate_id": group.pk},
    )
    assert nominate in body
    # Highest score first.
    assert body.index("Seed household A") < body.index("Group A")


def test_the_home_page_links_to_the_candidates(world, client):
    client.force_login(world.a.admin)
    body = client.get(reverse("partner_home", args=[world.a.partner.slug])).content.decode()
    assert list_url(world.a) in body and "Everyday Changemakers" in body


def test_filters_by_kind_state_month_and_cohort(world, client):
    other_cohort = factories.CohortFactory(partner=world.a.partner, name="Cohort A2")
    elsewhere = factories.FamilyFactory(
        group=factories.GroupFactory(cohort=other_cohort), name="Elsewhere household"
    )
    data.candidate(world.a, score=45)
    data.candidate(world.a, kind="group", score=35)
    data.candidate(world.a, subject=world.a.friend_family, period=SEPTEMBER, score=50)
    dismissed = data.candidate(
        world.a, subject=elsewhere, score=60, state=Candidate.State.DISMISSED
    )
    Candidate.objects.filter(pk=dismissed.pk).update(cohort=other_cohort)
    client.force_login(world.a.staff)

    def names(**query):
        response = client.get(list_url(world.a, **query))
        assert response.status_code == 200
        return [row["subject"] for row in response.context["rows"]]

    assert names() == ["Seed household A", "Group A", "Friend household A"]
    assert names(kind="group") == ["Group A"]
    assert names(month=clock.period(-3)) == ["Friend household A"]
    assert names(state="dismissed") == ["Elsewhere household"]
    assert names(state="all", cohort=other_cohort.pk) == ["Elsewhere household"]
    assert len(names(state="all")) == 4
    response = client.get(list_url(world.a, month="2026-13"))
    assert response.status_code == 400
    assert "Give the month as YYYY-MM" in response.content.decode()


def test_pagination_keeps_the_filters(world, client):
    for _ in range(30):
        data.candidate(world.a, subject=factories.FamilyFactory(group=world.a.group))
    client.force_login(world.a.staff)
    response = client.get(list_url(world.a, kind="family"))
    body = response.content.decode()
    assert len(response.context["rows"]) == 25
    assert "Page 1 of 2" in body
    assert "?kind=family&amp;page=2" in body
    assert len(client.get(list_url(world.a, kind="family", page=2)).context["rows"]) == 5


def test_the_query_count_is_flat(world, client):
    def add(count):
        for _ in range(count):
            family = factories.FamilyFactory(group=world.a.group)
            data.candidate(world.a, subject=family)
            group = factories.GroupFactory(cohort=world.a.cohort)
            data.candidate(world.a, kind="group", subject=group)

    client.force_login(world.a.staff)
    add(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(list_url(world.a, state="all")).status_code == 200
    add(45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(list_url(world.a, state="all")).status_code == 200
    assert len(many) == len(few)


def test_liaisons_get_403_and_partner_b_404(world, client):
    candidate = data.candidate(world.a)
    client.force_login(world.a.liaison)
    assert client.get(list_url(world.a)).status_code == 403
    assert client.get(dismiss_url(world.a, candidate)).status_code == 403
    assert client.post(dismiss_url(world.a, candidate), {"confirm": "True"}).status_code == 403
    for user in (world.b.admin, world.b.staff, world.a.seed_member, world.a.funder):
        client.force_login(user)
        assert client.get(list_url(world.a)).status_code == 404
        assert client.post(dismiss_url(world.a, candidate), {"confirm": "True"}).status_code == 404
    # Partner B's staff, on their own partner's address, asking for A's candidate: 404.
    client.force_login(world.b.staff)
    assert client.get(dismiss_url(world.b, candidate)).status_code == 404
    assert client.post(restore_url(world.b, candidate)).status_code == 404
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.SURFACED


def test_partner_b_candidates_never_show_in_a(world, client):
    data.candidate(world.b, score=99)
    data.candidate(world.a, score=30)
    client.force_login(world.a.admin)
    body = client.get(list_url(world.a, state="all")).content.decode()
    assert "Seed household A" in body and "Seed household B" not in body


# Dismissing ------------------------------------------------------------------------------------


def test_dismiss_asks_first_then_dismisses_with_an_audit(world, client):
    candidate = data.candidate(world.a)
    client.force_login(world.a.staff)
    # The list's button: a confirmation page, nothing changed yet.
    response = client.post(dismiss_url(world.a, candidate))
    assert response.status_code == 200
    assert "Dismiss Seed household A?" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.SURFACED

    response = client.post(
        dismiss_url(world.a, candidate), {"confirm": "True", "note": "Featured last year."}
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(world.a)
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.DISMISSED
    assert candidate.decided_by == world.a.staff and candidate.decided_at is not None
    event = AuditEvent.objects.get(verb="candidate.dismiss")
    assert event.partner == world.a.partner and event.actor == world.a.staff
    assert event.object_id == str(candidate.pk)
    assert event.before == {"state": "surfaced"}
    assert event.after == {"state": "dismissed", "note": "Featured last year."}
    # Gone from the new ones; there under "Dismissed", where it can be reconsidered.
    new_ones = client.get(list_url(world.a))
    assert new_ones.status_code == 200
    assert "No new candidate." in new_ones.content.decode()
    assert new_ones.context["rows"] == []
    body = client.get(list_url(world.a, state="dismissed")).content.decode()
    assert restore_url(world.a, candidate) in body

    # Twice: 409, nothing more written.
    response = client.post(dismiss_url(world.a, candidate), {"confirm": "True"})
    assert response.status_code == 409
    assert AuditEvent.objects.filter(verb="candidate.dismiss").count() == 1


def test_a_note_too_long_is_400_and_nothing_changes(world, client):
    candidate = data.candidate(world.a)
    client.force_login(world.a.staff)
    response = client.post(dismiss_url(world.a, candidate), {"confirm": "True", "note": "x" * 2001})
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.SURFACED


def test_reconsider_brings_a_dismissed_candidate_back(world, client):
    candidate = data.candidate(world.a)
    candidate_dismiss(seat=seat_of(world.a), candidate=candidate)
    client.force_login(world.a.admin)
    response = client.post(restore_url(world.a, candidate))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.SURFACED
    assert candidate.decided_by is None
    assert AuditEvent.objects.filter(verb="candidate.restore", actor=world.a.admin).count() == 1


# The services ----------------------------------------------------------------------------------


def test_dismiss_service_refusals(world):
    candidate = data.candidate(world.a)
    with pytest.raises(NotAllowed):
        candidate_dismiss(seat=seat_of(world.a, world.a.liaison), candidate=candidate)
    with pytest.raises(NotFound):
        candidate_dismiss(seat=seat_of(world.b), candidate=candidate)
    with pytest.raises(InvalidInput) as error:
        candidate_dismiss(seat=seat_of(world.a), candidate=candidate, note="x" * 2001)
    assert "note" in error.value.errors
    with pytest.raises(Conflict):
        candidate_restore(seat=seat_of(world.a), candidate=candidate)
    candidate_dismiss(seat=seat_of(world.a), candidate=candidate)
    with pytest.raises(Conflict):
        candidate_dismiss(seat=seat_of(world.a), candidate=candidate)
    nominated = data.candidate(world.a, kind="group", state=Candidate.State.NOMINATED)
    with pytest.raises(Conflict):
        candidate_dismiss(seat=seat_of(world.a), candidate=nominated)
    with pytest.raises(Conflict):
        candidate_restore(seat=seat_of(world.a), candidate=nominated)
    assert not AuditEvent.objects.filter(verb="candidate.restore").exists()
    assert AuditEvent.objects.filter(verb="candidate.dismiss").count() == 1
