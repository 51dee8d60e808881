"""Pages, allauth's pages and API messages speak the user's language."""

from django.urls import reverse

from accounts.models import AuditEvent


def test_the_sign_in_page_follows_the_browser_language(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body  # allauth's own page, as our users see it
    assert "Idioma" in body  # our layout around it


def test_french_pages_are_french(world, client):
    client.force_login(world.a.seed_member)
    response = client.get(reverse("family_home"), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Votre foyer" in body


def test_switching_language_is_remembered_on_the_account(world, client):
    client.force_login(world.a.seed_member)
    response = client.post(
        reverse("language_switch"), {"language": "es", "next": reverse("family_home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("family_home")
    world.a.seed_member.refresh_from_db()
    assert world.a.seed_member.language == "es"
    assert AuditEvent.objects.filter(actor=world.a.seed_member, verb="user.set_language").exists()

    # A new session on another device starts in the saved language.
    other_device = client.__class__()
    other_device.force_login(world.a.seed_member)
    page = other_device.get(reverse("family_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Su hogar" in page.content.decode()


def test_the_language_switch_refuses_unknown_languages_and_foreign_redirects(world, client):
    client.force_login(world.a.seed_member)
    response = client.post(
        reverse("language_switch"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    world.a.seed_member.refresh_from_db()
    assert world.a.seed_member.language == ""


def test_api_errors_speak_the_requested_language(api, db):
    response = api.post(
        "/api/v1/auth/token/", {"email": "nobody@example.org"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Por favor, corrija los errores que aparecen abajo."
    assert "password" in response.json()["errors"]
