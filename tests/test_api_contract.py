"""The API's shared conventions: schema and docs, error shape, pagination."""

import re

import yaml


def test_the_schema_describes_the_contract_endpoints(api, db):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/auth/token/", "/api/v1/me/"]:
        assert path in schema["paths"], path
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_its_assets_from_our_own_server(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', body)
    assert external == []
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body


def test_unknown_api_paths_answer_404_in_the_error_shape(api, db):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "errors": {}}


def test_anonymous_api_calls_get_401_in_the_error_shape(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


def test_lists_are_paginated(world, api):
    api.force_authenticate(world.a.staff)
    response = api.get("/api/v1/partners/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [p["slug"] for p in body["results"]] == [world.a.partner.slug]
    assert body["results"][0]["currency"] == "USD"
    assert body["results"][0]["stipend_amount"] == "25.00"  # money is a decimal string
