"""The rough edges of the pages, each seen as a user meets it: a stale form's refusal, the
correction page's errors, the wide tables, the platform page, and what every page's head says."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from surveys.tests.test_review_pages import review_url, signed_in, submitted
from tests.factories import UserFactory, enable_totp


def text(response) -> str:
    return html.unescape(response.content.decode())


# A stale tab ------------------------------------------------------------------------------------
@pytest.fixture
def strict_client():
    """A browser whose form tokens are checked, as a real one's are."""
    return Client(enforce_csrf_checks=True)


def test_a_stale_language_switch_gets_our_page_in_the_users_language(world, strict_client):
    strict_client.force_login(world.a.seed_member)
    progress = reverse("family_progress")

    response = strict_client.post(
        reverse("language_switch"),
        {"language": "es", "next": progress},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 403
    body = text(response)
    assert "<h1>Cette page avait expiré</h1>" in body
    assert "Rien n'a été envoyé ni enregistré." in body
    assert f'<a class="button" href="{progress}">Revenir à la page</a>' in body
    assert "CSRF verification failed" not in body
    # The site's own layout, with the family's navigation.
    assert 'class="main-nav"' in body
    # With its token, the same switch works.
    strict_client.get(progress)
    token = strict_client.cookies["csrftoken"].value
    switched = strict_client.post(
        reverse("language_switch"),
        {"language": "es", "next": progress, "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302 and switched["Location"] == progress


def test_the_way_back_never_leaves_the_site(world, strict_client):
    response = strict_client.post(
        reverse("language_switch"),
        {"language": "es", "next": "https://elsewhere.example/"},
        HTTP_REFERER="https://elsewhere.example/page",
    )
    assert response.status_code == 403
    assert 'href="https://elsewhere.example' not in response.content.decode()
    assert f'<a class="button" href="{reverse("home")}">Go back to the page</a>' in text(response)


# The correction page ---------------------------------------------------------------------------
def test_a_correction_without_a_reason_is_summarised_at_the_top_and_focused(world, client):
    survey = submitted(world.a.seed_family)

    response = signed_in(client, world.a.liaison).post(
        review_url(world.a, survey), {"action": "correct", "note": "Something is off."}
    )

    assert response.status_code == 400
    body = text(response)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert summary, "an error summary"
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert "Nothing was saved: please check" in summary.group(1)
    assert '<a href="#correction_reason_0">' in summary.group(1)
    assert "Choose the reason for the correction." in summary.group(1)
    # It comes before the answers, three screens up from the form.
    assert body.index("error-summary") < body.index('id="answers-heading"')
    assert 'id="correction_reason_0"' in body


def test_a_review_page_without_errors_has_no_summary(world, client):
    survey = submitted(world.a.seed_family)
    response = signed_in(client, world.a.liaison).get(review_url(world.a, survey))
    assert response.status_code == 200
    assert "error-summary" not in response.content.decode()
    assert "Ask for a correction" in text(response)


# Wide tables and the platform page -------------------------------------------------------------
def test_the_payments_tables_scroll_in_regions_a_keyboard_reaches(world, client):
    survey = submitted(world.a.seed_family)
    signed_in(client, world.a.liaison).post(
        review_url(world.a, survey), {"action": "verify", "evidence": "pay stub seen"}
    )
    response = signed_in(client, world.a.staff).get(
        reverse("payments", args=[world.a.partner.slug])
    )
    body = response.content.decode()
    regions = re.findall(r'<div class="table-scroll" tabindex="0" role="region"[^>]*>', body)
    assert len(regions) == 1  # the stipends (no batch yet)
    assert all("aria-labelledby=" in region for region in regions)
    assert '<h2 id="stipends-heading">' in body


def test_the_platform_page_keeps_its_button_apart_from_its_links(world, client):
    operator = UserFactory(is_superuser=True)
    enable_totp(operator)
    client.force_login(operator)

    body = client.get(reverse("platform_home")).content.decode()

    button_row = re.search(r'<p class="button-row">(.*?)</p>', body, re.S).group(1)
    assert "Add a partner" in button_row
    assert "<a " in button_row and button_row.count("<a ") == 1
    assert '<ul class="cards">' in body and "Exchange rates" in body
    assert '<div class="table-scroll" tabindex="0" role="region"' in body


# What every page's head says -------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_page_has_a_description_a_manifest_and_a_theme_colour(client, db, language):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', body).group(1)
    assert {"en": "peer-driven change", "es": "entre pares", "fr": "par les pairs"}[
        language
    ] in html.unescape(description)
    assert '<meta name="theme-color" content="#1b1f24">' in body
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in body
    assert "htmx" not in body


def test_the_manifest_names_the_app_and_its_icons(client, db):
    import json

    from django.contrib.staticfiles import finders

    with open(finders.find("manifest.webmanifest"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert manifest["name"] == "Mutuality" and manifest["theme_color"] == "#1b1f24"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_the_sign_in_page_speaks_in_sentence_case_with_the_box_by_its_label(client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert "<h1>Sign in</h1>" in body and "Sign In" not in body
    assert "Remember Me" not in body
    box = re.search(r'<div class="field field-checkbox">\s*(.*?)</div>', body, re.S).group(1)
    assert box.index('type="checkbox"') < box.index("Keep me signed in on this phone</label>")
    spanish = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mantener la sesión abierta en este teléfono" in spanish


# allauth's other pages and emails speak in our voice -------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Joining is by invitation"), ("es", "Se entra por invitación"),
     ("fr", "On rejoint sur invitation")],
)  # fmt: skip
def test_the_closed_sign_up_page_says_how_to_join_in_each_language(client, db, language, title):
    body = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{title}</h1>" in body
    assert "Sign Up Closed" not in body


def test_the_password_reset_email_is_in_sentence_case_with_its_link(client, db):
    from django.core import mail

    UserFactory(email="ana@example.org")
    client.post(reverse("account_reset_password"), {"email": "ana@example.org"})
    [email] = mail.outbox
    assert email.subject == "[Mutuality] Choose a new password"
    assert "/accounts/password/reset/key/" in email.body
    assert "Hello from" not in email.body and "Thank you for using" not in email.body


def test_an_address_nobody_signs_in_with_is_told_how_to_join_not_to_sign_up(client, db):
    from django.core import mail

    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    [email] = mail.outbox
    assert email.subject == "[Mutuality] Nobody signs in with this address"
    assert "nobody@example.org" in email.body
    assert "invitation" in email.body
    assert "/accounts/signup/" not in email.body  # joining is by invitation only
