from decimal import Decimal

from django.urls import reverse

from accounts.models import AuditEvent, Partner, StaffInvitation
from tests.factories import UserFactory, enable_totp


def _operator():
    operator = UserFactory(email="operator@example.org", is_superuser=True)
    enable_totp(operator)
    return operator


VALID = {
    "name": "Accra Neighbours",
    "slug": "accra",
    "country": "GH",
    "currency": "GHS",
    "languages": ["en", "fr"],
    "timezone": "Africa/Accra",
    "stipend_amount": "150.00",
    "months_before_phase_two": "5",
    "funding_asks_need_review": "on",
    "first_admin_email": "Director@Accra.example.org",
}


def test_a_platform_admin_creates_a_partner_and_invites_its_first_admin(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    operator = _operator()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("platform_partner_create"), VALID)
    assert response.status_code == 302
    partner = Partner.objects.get(slug="accra")
    assert partner.stipend_amount == Decimal("150.00")
    assert partner.languages == ["en", "fr"]
    invitation = StaffInvitation.objects.get(partner=partner)
    assert invitation.email == "director@accra.example.org"
    assert invitation.role == "admin"
    assert mailoutbox[0].to == ["director@accra.example.org"]
    assert AuditEvent.objects.filter(
        verb="partner.create", partner=partner, actor=operator
    ).exists()
    assert "Accra Neighbours" in client.get(reverse("platform_home")).content.decode()


def test_bad_partner_details_are_shown_next_to_their_fields_and_nothing_is_saved(db, client):
    client.force_login(_operator())
    bad = {**VALID, "currency": "dollars", "timezone": "Mars/Olympus", "stipend_amount": "-5"}
    response = client.post(reverse("platform_partner_create"), bad)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"currency", "timezone", "stipend_amount"}
    assert not Partner.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not StaffInvitation.objects.exists()


def test_a_duplicate_short_name_is_refused(world, client):
    client.force_login(_operator())
    response = client.post(reverse("platform_partner_create"), {**VALID, "slug": "partner-a"})
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors


def test_a_partner_admin_changes_the_stipend_and_the_change_is_audited(world, client):
    client.force_login(world.a.admin)
    url = reverse("partner_settings", args=[world.a.partner.slug])
    data = {
        "name": "Partner A",
        "country": "US",
        "currency": "USD",
        "languages": ["en", "es"],
        "timezone": "America/Chicago",
        "stipend_amount": "30.50",
        "months_before_phase_two": "6",
        "friends_first_days": "5",
        "baseline_months": "3",
        "unusual_change_percent": "40",
        "survey_money_ceiling": "500000.00",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    world.a.partner.refresh_from_db()
    assert world.a.partner.stipend_amount == Decimal("30.50")
    assert world.a.partner.funding_asks_need_review is False
    assert world.a.partner.baseline_months == 3
    event = AuditEvent.objects.get(verb="partner.update", partner=world.a.partner)
    assert event.before["stipend_amount"] == "25.00"
    assert event.after["stipend_amount"] == "30.50"


def test_partner_settings_refuse_bad_input_and_staff(world, client):
    url = reverse("partner_settings", args=[world.a.partner.slug])
    client.force_login(world.a.admin)
    response = client.post(url, {"name": "", "stipend_amount": "abc", "languages": ["en"]})
    assert response.status_code == 400
    assert {"name", "stipend_amount"} <= set(response.context["form"].errors)
    world.a.partner.refresh_from_db()
    assert world.a.partner.name == "Partner A"
    assert not AuditEvent.objects.filter(verb="partner.update").exists()
    client.force_login(world.a.staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Taken over"}).status_code == 403
