"""Every response carries an enforced Content-Security-Policy: scripts, styles and images from our
own server only, nothing inline. The templates keep to it, so that no page loses its looks or its
behaviour in the browser (the browser tests in tests/browser/ watch for violations)."""

import re
from pathlib import Path

from django.urls import reverse

from tests.factories import FamilyFactory
from tests.seats import signed_in

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Content-Security-Policy"
EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    directives = (part.split() for part in response[HEADER].split(";") if part.strip())
    return {name: set(values) for name, *values in directives}


def test_a_page_is_served_under_the_enforced_policy(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert policy(response) == EXPECTED
    assert "unsafe-inline" not in response[HEADER]
    assert f"{HEADER}-Report-Only" not in response


def test_the_api_is_served_under_the_same_policy(world, api):
    response = signed_in(api, world.a.staff).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == world.a.staff.email
    assert policy(response) == EXPECTED


def test_our_not_found_page_is_served_under_the_policy(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()
    assert policy(response) == EXPECTED


def test_the_api_docs_page_has_no_inline_script_or_style(client, db):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div id="swagger-ui">' in body
    scripts = re.findall(r"<script\b([^>]*)>", body)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "<style" not in body and "style=" not in body

    # Swagger UI's start-up script comes from our server, as a file.
    init = client.get(reverse("api_docs") + "?script=")
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in init.content.decode()
    assert reverse("api_schema") in init.content.decode()


def test_the_cohort_page_draws_its_network_without_inline_style(world, client):
    FamilyFactory(group=world.a.group, name="Another friend", invited_by=world.a.seed_family)
    client.force_login(world.a.staff)
    response = client.get(reverse("cohort_detail", args=[world.a.partner.slug, world.a.cohort.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="network-picture"' in body
    assert "<circle" in body
    assert "style=" not in body and "<style" not in body


INLINE = [
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    # A <script> without src runs inline, unless it only carries JSON data.
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "a script"),
]


def template_files():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_holds_what_the_policy_would_block():
    files = template_files()
    assert ROOT / "templates" / "base.html" in files
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in files
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []
