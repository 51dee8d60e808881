"""The demo serves like production: `make run`'s server runs with DEBUG off, shows our own error
pages (never Django's technical pages, which list every URL pattern), serves the static files
through whitenoise, and answers /favicon.ico with a small icon."""

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.test import RequestFactory
from django.utils import translation

from mutuality.views import server_error
from tests.test_production_settings import ROOT, run_manage

ICO_MAGIC = b"\x00\x00\x01\x00"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`manage.py runserver` as `make run` starts it: demo mode, DEBUG left to its default."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "CSP_REPORT_ONLY"}
    }
    # These requests need no table; a throwaway file keeps the server off the test database.
    folder = tmp_path_factory.mktemp("serving")
    environment.update(DEMO_MODE="true", DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}")
    log = folder / "runserver.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail("runserver did not start:\n" + log.read_text())
                time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Language": "en"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_debug_is_off_unless_a_developer_turns_it_on():
    code = "from django.conf import settings; print(settings.DEBUG)"
    by_default = run_manage("shell", "--no-imports", "-c", code)
    assert by_default.stdout.strip() == "False", by_default.stderr
    asked_for = run_manage("shell", "--no-imports", "-c", code, DEBUG="true")
    assert asked_for.stdout.strip() == "True", asked_for.stderr


def test_an_unknown_address_shows_our_not_found_page(demo_server):
    response, body = get(demo_server, "/no-such-page/")
    page = body.decode()
    assert response.status == 404
    assert "This page does not exist, or it is not yours to see." in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert "URLconf" not in page and "api/v1/" not in page  # no list of URL patterns
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")


def test_static_files_are_served_with_debug_off(demo_server):
    response, body = get(demo_server, "/static/css/site.css")
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert b".site-header" in body

    response, body = get(demo_server, "/static/manifest.webmanifest")
    assert response.status == 200
    assert b'"theme_color"' in body


def test_the_favicon_is_a_small_image(demo_server):
    response, body = get(demo_server, "/favicon.ico")
    assert response.status == 200
    assert response.getheader("Content-Type") in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert body.startswith(ICO_MAGIC)
    assert len(body) < 4096

    # Pages link the SVG version, which browsers prefer.
    _, page = get(demo_server, "/accounts/login/")
    assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response, body = get(demo_server, "/static/favicon.svg")
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("image/svg+xml")
    assert body.startswith(b"<svg") and len(body) < 1024


def test_our_error_page_stands_alone_in_the_users_language():
    request = RequestFactory().get("/")
    with translation.override("es"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="es">' in page
    assert "Algo salió mal" in page
    assert "/static/css/site.css" in page
