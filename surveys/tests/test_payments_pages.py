"""Partner staff's payment pages: stipends with their totals, building a batch (it asks first),
the batch's CSV for a payment tool, and marking each payment paid, failed or canceled. Liaisons
get 403; another partner's people get 404."""

import csv
import html
import io
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent
from families.access import FamilySeat
from surveys import selectors, services
from surveys.models import PaymentBatch, Stipend, SurveyResponse
from tests import clock
from tests.factories import FamilyFactory, HouseholdMemberFactory

ANSWERS = {
    "income_wages": "1000.00",
    "income_business": "0",
    "income_benefits": "0",
    "income_other": "0",
    "savings_balance": "100",
    "debt_formal": "0",
    "debt_high_cost": "400",
    "adults_working": 1,
}


def money(amount: str, currency: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), currency, locale="en")


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, tenant, **kwargs):
    return reverse(name, kwargs={"partner_slug": tenant.partner.slug, **kwargs})


def batch_url(tenant, batch, name="payment_batch"):
    return url(name, tenant, batch_id=batch.pk)


def mark_url(tenant, stipend):
    return url("stipend_mark", tenant, stipend_id=stipend.pk)


def seat_of(user, tenant):
    return policy.access_partner(user, tenant.partner.slug)


def text(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return html.unescape(response.content.decode())


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def verified(tenant, family=None, period=clock.period(-2)) -> Stipend:
    """A verified survey, and so an accrued stipend."""
    family = family or tenant.seed_family
    member = family.members.filter(user__isnull=False).select_related("user").first()
    survey = services.survey_create(
        seat=FamilySeat(user=member.user, family=family),
        period=period,
        answers=ANSWERS,
        submit=True,
    )
    services.survey_verify(seat=seat_of(tenant.liaison, tenant), response=survey)
    return Stipend.objects.get(survey=survey)


def new_family(tenant, name=None):
    family = FamilyFactory(group=tenant.group, **({"name": name} if name else {}))
    HouseholdMemberFactory(family=family)
    return family


def scheduled(tenant, n=2):
    stipends = [verified(tenant, new_family(tenant)) for _ in range(n)]
    batch = services.payment_batch_create(seat=seat_of(tenant.staff, tenant), name="October")
    return batch, [Stipend.objects.get(pk=s.pk) for s in stipends]


# Who may see payments ---------------------------------------------------------------------------


def test_liaisons_get_403_on_every_payment_page(world, client):
    batch, (stipend, _other) = scheduled(world.a)
    client = signed_in(client, world.a.liaison)
    for page in [
        url("payments", world.a),
        url("payment_batch_new", world.a),
        batch_url(world.a, batch),
        batch_url(world.a, batch, "payment_batch_export"),
    ]:
        assert client.get(page).status_code == 403, page
    assert client.post(url("payment_batch_new", world.a)).status_code == 403
    assert client.post(mark_url(world.a, stipend), {"status": "fulfilled"}).status_code == 403
    stipend.refresh_from_db()
    assert stipend.status == Stipend.Status.SCHEDULED
    assert PaymentBatch.objects.count() == 1


def test_another_partners_people_get_404_on_the_batch_and_stipend_pages(world, client):
    batch, (stipend, _other) = scheduled(world.a)
    verified(world.a)  # one more, accrued: a new batch must not be built by B
    for user in [world.b.admin, world.b.staff, world.b.liaison, world.b.seed_member]:
        signed_in(client, user)
        for page in [
            url("payments", world.a),
            url("payment_batch_new", world.a),
            batch_url(world.a, batch),
            batch_url(world.a, batch, "payment_batch_export"),
            # A's ids under B's own address are not B's either
            batch_url(world.b, batch),
            batch_url(world.b, batch, "payment_batch_export"),
        ]:
            assert client.get(page).status_code == 404, (user, page)
        assert client.post(url("payment_batch_new", world.a)).status_code == 404
        for address in [mark_url(world.a, stipend), mark_url(world.b, stipend)]:
            assert client.post(address, {"status": "fulfilled"}).status_code == 404
    stipend.refresh_from_db()
    assert stipend.status == Stipend.Status.SCHEDULED
    assert PaymentBatch.objects.count() == 1


# The payments page ------------------------------------------------------------------------------


def test_staff_see_stipends_with_totals_per_status_in_the_partners_currency(world, client):
    batch, (paid, _waiting) = scheduled(world.b, n=2)
    services.stipend_mark(seat=seat_of(world.b.staff, world.b), stipend=paid, status="fulfilled")
    verified(world.b)  # accrued
    verified(world.a)  # partner A's: never shown to B
    response = signed_in(client, world.b.staff).get(url("payments", world.b))
    assert response.status_code == 200
    totals = {t.status: (t.count, t.total, t.currency) for t in response.context["totals"]}
    amount = world.b.partner.stipend_amount
    assert totals["accrued"] == (1, amount, "LRD")
    assert totals["scheduled"] == (1, amount, "LRD")
    assert totals["fulfilled"] == (1, amount, "LRD")
    assert totals["failed"] == (0, Decimal("0.00"), "LRD")
    body = text(response)
    assert "LRD" in body and "USD" not in body
    assert world.a.seed_family.name not in body
    assert batch.name in body and batch_url(world.b, batch) in body


def test_the_stipends_filter_by_status(world, client):
    _batch, (paid, waiting) = scheduled(world.a, n=2)
    services.stipend_mark(seat=seat_of(world.a.staff, world.a), stipend=paid, status="fulfilled")
    client = signed_in(client, world.a.staff)
    response = client.get(url("payments", world.a), {"status": "fulfilled"})
    assert [s.pk for s in response.context["page"].object_list] == [paid.pk]
    response = client.get(url("payments", world.a), {"status": "scheduled"})
    assert [s.pk for s in response.context["page"].object_list] == [waiting.pk]
    response = client.get(url("payments", world.a), {"status": "lost"})
    assert response.status_code == 400
    assert response.context["filter_form"].errors["status"]


# Building a batch -------------------------------------------------------------------------------


def test_building_a_batch_asks_first_then_schedules_every_payable_stipend(world, client):
    first, second = verified(world.a), verified(world.a, world.a.friend_family)
    client = signed_in(client, world.a.staff)
    response = client.get(url("payment_batch_new", world.a))
    assert response.status_code == 200
    assert f"2 stipends, {money('50.00', 'USD')} in all, will be scheduled" in text(response)
    assert not PaymentBatch.objects.exists()
    assert Stipend.objects.filter(status="accrued").count() == 2

    response = client.post(url("payment_batch_new", world.a), {"name": "November"})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch_url(world.a, batch)
    assert (batch.name, batch.partner, batch.created_by) == (
        "November",
        world.a.partner,
        world.a.staff,
    )
    for stipend in (first, second):
        stipend.refresh_from_db()
        assert (stipend.status, stipend.batch) == ("scheduled", batch)
    assert AuditEvent.objects.filter(verb="payment_batch.create", actor=world.a.staff).exists()
    body = text(client.get(response["Location"]))
    assert "November" in body and world.a.seed_family.name in body
    assert batch_url(world.a, batch, "payment_batch_export") in body


def test_building_a_batch_with_nothing_to_pay_says_so_and_makes_nothing(world, client):
    client = signed_in(client, world.a.staff)
    assert "No stipend is waiting for payment" in text(
        client.get(url("payment_batch_new", world.a))
    )
    response = client.post(url("payment_batch_new", world.a), {"name": ""})
    assert response.status_code == 409
    assert "There are no stipends waiting for payment." in text(response, 409)
    assert not PaymentBatch.objects.exists()


def test_the_batch_exports_as_a_csv_that_spreadsheets_cannot_run(world, client):
    family = new_family(world.a, name="=cmd|' /C calc'!A0")
    family.contact_email = "pay@example.org"
    family.save()
    stipend = verified(world.a, family)
    batch = services.payment_batch_create(seat=seat_of(world.a.staff, world.a), name="Oct")
    response = signed_in(client, world.a.staff).get(
        batch_url(world.a, batch, "payment_batch_export")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == selectors.PAYMENT_HEADER
    assert rows[1] == [
        str(stipend.pk),
        "'=cmd|' /C calc'!A0",
        "pay@example.org",
        "",
        clock.period(-2),
        "25.00",
        "USD",
        "scheduled",
    ]


# Marking payments -------------------------------------------------------------------------------


def test_staff_mark_a_payment_paid_with_a_note(world, client):
    batch, (stipend, _other) = scheduled(world.a)
    response = signed_in(client, world.a.staff).post(
        mark_url(world.a, stipend), {"status": "fulfilled", "note": "Transfer 4411"}
    )
    assert response.status_code == 302 and response["Location"] == batch_url(world.a, batch)
    stipend.refresh_from_db()
    assert (stipend.status, stipend.status_note) == ("fulfilled", "Transfer 4411")
    assert AuditEvent.objects.filter(verb="stipend.mark", actor=world.a.staff).count() == 1
    assert "Transfer 4411" in text(client.get(response["Location"]))


def test_canceling_a_payment_asks_first(world, client):
    batch, (stipend, _other) = scheduled(world.a)
    client = signed_in(client, world.a.staff)
    response = client.post(mark_url(world.a, stipend), {"status": "canceled", "note": "Moved"})
    assert response.status_code == 200
    assert "Yes, cancel this payment" in text(response)
    stipend.refresh_from_db()
    assert stipend.status == "scheduled"
    assert not AuditEvent.objects.filter(verb="stipend.mark").exists()

    response = client.post(
        mark_url(world.a, stipend), {"status": "canceled", "note": "Moved", "confirm": "True"}
    )
    assert response.status_code == 302 and response["Location"] == batch_url(world.a, batch)
    stipend.refresh_from_db()
    assert (stipend.status, stipend.status_note) == ("canceled", "Moved")


def test_a_failed_payment_goes_into_a_new_batch(world, client):
    first_batch, (failed, paid) = scheduled(world.a)
    client = signed_in(client, world.a.staff)
    client.post(mark_url(world.a, failed), {"status": "failed", "note": "Wrong account"})
    client.post(mark_url(world.a, paid), {"status": "fulfilled"})
    failed.refresh_from_db()
    assert failed.status == "failed"
    first_batch.refresh_from_db()
    assert first_batch.status == PaymentBatch.Status.CLOSED

    response = client.get(url("payment_batch_new", world.a))
    body = text(response)
    assert f"1 stipend, {money('25.00', 'USD')} in all" in body and "failed before" in body
    client.post(url("payment_batch_new", world.a), {"name": "Retry"})
    retry = PaymentBatch.objects.get(name="Retry")
    failed.refresh_from_db()
    assert (failed.status, failed.batch) == ("scheduled", retry)
    assert list(retry.stipends.all()) == [failed]


@pytest.mark.parametrize("data", [{"status": "lost"}, {}, {"status": "accrued"}])
def test_a_bad_outcome_is_a_400_and_changes_nothing(world, client, data):
    _batch, (stipend, _other) = scheduled(world.a)
    response = signed_in(client, world.a.staff).post(mark_url(world.a, stipend), data)
    assert response.status_code == 400
    assert response.context["form"].errors["status"]
    stipend.refresh_from_db()
    assert stipend.status == "scheduled"


def test_only_a_scheduled_payment_can_be_marked(world, client):
    stipend = verified(world.a)  # accrued, in no batch yet
    response = signed_in(client, world.a.staff).post(
        mark_url(world.a, stipend), {"status": "fulfilled"}
    )
    assert response.status_code == 409
    assert "Only a scheduled payment can be marked." in text(response, 409)
    stipend.refresh_from_db()
    assert stipend.status == "accrued"


def test_marking_is_a_post(world, client):
    _batch, (stipend, _other) = scheduled(world.a)
    assert signed_in(client, world.a.staff).get(mark_url(world.a, stipend)).status_code == 405


# Query counts -----------------------------------------------------------------------------------


def _stipends(tenant, n, batch=None):
    template = services.current_template(tenant.partner)
    families = [FamilyFactory(group=tenant.group) for _ in range(n)]
    surveys = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            partner=tenant.partner,
            cohort=tenant.cohort,
            family=family,
            template=template,
            period=clock.month(-2),
            answers=ANSWERS,
            state=SurveyResponse.State.VERIFIED,
        )
        for family in families
    )
    Stipend.objects.bulk_create(
        Stipend(
            partner=tenant.partner,
            family=survey.family,
            survey=survey,
            amount=Decimal("25.00"),
            currency="USD",
            status="scheduled" if batch else "accrued",
            batch=batch,
        )
        for survey in surveys
    )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_payment_pages_take_as_many_queries_for_100_stipends_as_for_10(world, client):
    batch = PaymentBatch.objects.create(partner=world.a.partner, name="Big")
    client = signed_in(client, world.a.staff)
    pages = [url("payments", world.a), batch_url(world.a, batch), url("payment_batch_new", world.a)]
    _stipends(world.a, 5)
    _stipends(world.a, 5, batch)
    few = [_queries(client, page) for page in pages]
    _stipends(world.a, 45)
    _stipends(world.a, 45, batch)
    PaymentBatch.objects.bulk_create(
        PaymentBatch(partner=world.a.partner, name=f"Old {i}") for i in range(30)
    )
    assert [_queries(client, page) for page in pages] == few
    assert _queries(client, url("payments", world.a) + "?status=accrued&page=2") == few[0]
