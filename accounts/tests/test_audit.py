import pytest

from accounts.models import AuditEvent
from accounts.services import audit_record


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = audit_record(
        actor=world.a.admin, verb="partner.update", obj=world.a.partner, partner=world.a.partner
    )
    event.verb = "nothing.happened"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="nothing.happened")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "partner.update"


def test_the_audit_trail_page_shows_only_this_partners_events_to_its_admin(world, client):
    audit_record(
        actor=world.a.admin, verb="partner.update", obj=world.a.partner, partner=world.a.partner
    )
    audit_record(
        actor=world.b.admin, verb="partner.secret", obj=world.b.partner, partner=world.b.partner
    )
    client.force_login(world.a.admin)
    response = client.get(f"/p/{world.a.partner.slug}/audit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "partner.update" in body
    assert "partner.secret" not in body
    client.force_login(world.a.staff)
    assert client.get(f"/p/{world.a.partner.slug}/audit/").status_code == 403
