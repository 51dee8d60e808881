"""Bad input gets a 400 (or a 413) in the API's error shape and writes nothing: bodies nested
too deeply, bodies too large, forms with too many fields, malformed pages; and the
`Idempotency-Key` recognizes a retry by what it means, not by its bytes."""

import json

import pytest
import yaml
from django.test import Client
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient

from families.models import Cohort
from mutuality.idempotency import is_idempotent
from mutuality.parsers import MAX_DEPTH
from surveys.models import Story
from tests import clock
from tests.seats import signed_in

CSRF = "k" * 32


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def a_cohort(**overrides) -> dict:
    return {
        "name": "Eastside 2027",
        "region": "Eastside",
        "started_on": clock.on(-3, 1).isoformat(),
        "liaisons": [],
        **overrides,
    }


def a_story(**overrides) -> dict:
    return {"title": "Our first market day", "body": "We sold every tamale.", **overrides}


def session_for(user, *, csrf: bool = True) -> Client:
    """A browser session: signed in, CSRF enforced, with the CSRF cookie a page would set."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if csrf:
        client.cookies["csrftoken"] = CSRF
    return client


# Nesting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_a_body_nested_too_deeply_is_refused_and_creates_nothing(world, api, depth):
    signed_in(api, world.a.staff)
    before = Cohort.objects.count()

    deep = api.post("/api/v1/cohorts/", nested(depth), content_type="application/json")
    shallow = api.post("/api/v1/cohorts/", a_cohort(), format="json")

    assert deep.status_code == 400
    body = deep.json()
    assert set(body) == {"message", "errors"}
    assert "levels deep" in body["message"]
    assert body["errors"]["body"] == [body["message"]]
    assert shallow.status_code == 201
    assert Cohort.objects.count() == before + 1


@pytest.mark.parametrize(
    "path",
    ["/api/v1/auth/token/", "/api/v1/stories/", "/api/v1/surveys/"],
)
def test_every_json_endpoint_refuses_deep_nesting(world, api, path):
    signed_in(api, world.a.seed_member)

    response = api.post(path, nested(5000), content_type="application/json")

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Story.objects.exists()


def test_nesting_up_to_the_limit_reaches_the_view(world, api):
    signed_in(api, world.a.staff)

    response = api.post(
        "/api/v1/cohorts/",
        json.dumps(a_cohort(extra=json.loads(nested(MAX_DEPTH - 1)))),
        content_type="application/json",
    )

    assert response.status_code == 201


def test_a_body_that_is_not_json_is_named(world, api):
    signed_in(api, world.a.staff)

    response = api.post("/api/v1/cohorts/", '{"name": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["The request body is not valid JSON."]}


# Size ------------------------------------------------------------------------------------------


def test_a_body_larger_than_the_api_accepts_gets_413_in_the_error_shape(world, api, settings):
    signed_in(api, world.a.staff)
    big = json.dumps(a_cohort(region="x" * (3 * 1024 * 1024)))

    response = api.post("/api/v1/cohorts/", big, content_type="application/json")
    small = api.post("/api/v1/cohorts/", a_cohort(), format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert response.json() == {
        "message": f"The request body is larger than {limit} bytes.",
        "errors": {},
    }
    assert small.status_code == 201
    assert Cohort.objects.filter(name="Eastside 2027").count() == 1


def test_a_form_with_too_many_fields_gets_the_error_shape(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = session_for(world.a.seed_member)
    fields = {f"f{i}": "x" for i in range(20)}

    response = client.post("/api/v1/stories/", {**a_story(), **fields}, HTTP_X_CSRFTOKEN=CSRF)

    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors"}
    assert not Story.objects.exists()


def test_the_api_never_answers_html(world, api):
    signed_in(api, world.a.staff)

    unknown = api.get("/api/v1/cohorts/not-a-number/")
    page = Client().get("/not-a-page/")

    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Not found.", "errors": {}}
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


# Pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=null", "page_size"),
    ],
)
def test_a_malformed_page_is_a_400_naming_it(world, api, query, field):
    signed_in(api, world.a.staff)

    response = api.get(f"/api/v1/cohorts/?{query}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_page_past_the_last_is_a_404_and_the_first_is_there(world, api):
    signed_in(api, world.a.staff)

    past = api.get("/api/v1/cohorts/?page=2")
    first = api.get("/api/v1/cohorts/?page=1&page_size=1")

    assert past.status_code == 404
    assert set(past.json()) == {"message", "errors"}
    assert first.json()["count"] == 1


# Idempotency -----------------------------------------------------------------------------------


def test_the_same_json_with_other_spacing_and_key_order_is_a_replay(world, api):
    signed_in(api, world.a.staff)
    body = a_cohort()
    spaced = json.dumps(dict(reversed(list(body.items()))), indent=4)

    first = api.post(
        "/api/v1/cohorts/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="cohort-1",
    )
    again = api.post(
        "/api/v1/cohorts/",
        spaced,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="cohort-1",
    )
    other = api.post(
        "/api/v1/cohorts/",
        a_cohort(name="Westside"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="cohort-1",
    )

    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # the same bytes: same keys, in the same order
    assert other.status_code == 409
    assert Cohort.objects.filter(name="Eastside 2027").count() == 1
    assert not Cohort.objects.filter(name="Westside").exists()


def test_a_session_may_send_a_form_with_an_idempotency_key(world):
    client = session_for(world.a.seed_member)

    first = client.post(
        "/api/v1/stories/", a_story(), HTTP_X_CSRFTOKEN=CSRF, HTTP_IDEMPOTENCY_KEY="story-1"
    )
    again = client.post(
        "/api/v1/stories/", a_story(), HTTP_X_CSRFTOKEN=CSRF, HTTP_IDEMPOTENCY_KEY="story-1"
    )

    assert first.status_code == 201
    assert first.json()["title"] == "Our first market day"
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Story.objects.count() == 1


def test_a_session_form_without_the_csrf_token_is_refused(world):
    client = session_for(world.a.seed_member, csrf=False)

    response = client.post("/api/v1/stories/", a_story(), HTTP_IDEMPOTENCY_KEY="story-1")

    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not Story.objects.exists()


# The schema ------------------------------------------------------------------------------------


@pytest.fixture
def schema(db):
    return yaml.safe_load(APIClient().get("/api/v1/schema/").content)


def test_every_idempotent_create_declares_the_idempotency_key(schema):
    declared, expected = set(), set()
    for path, _regex, method, view in EndpointEnumerator().get_api_endpoints():
        if not path.startswith("/api/"):
            continue
        handler = getattr(view.cls, method.lower())
        openapi_path = _spectacular_path(path.replace("<", "{").replace(">", "}"))
        if openapi_path not in schema["paths"]:
            continue  # the schema and its docs page
        operation = schema["paths"][openapi_path][method.lower()]
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if "Idempotency-Key" in names:
            declared.add((method, path))
            assert "409" in operation["responses"]
        if is_idempotent(handler):
            expected.add((method, path))

    assert len(expected) >= 20
    assert declared == expected


def _spectacular_path(path: str) -> str:
    # "<int:cohort_id>" is written "{cohort_id}" in the schema.
    return "/".join(
        "{" + part.strip("{}").split(":")[-1] + "}" if part.startswith("{") else part
        for part in path.split("/")
    )


def test_the_staff_invitations_list_is_documented_as_the_page_it_is(world, api, schema):
    operation = schema["paths"]["/api/v1/partners/{partner_slug}/staff-invitations/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    signed_in(api, world.a.admin)

    response = api.get(f"/api/v1/partners/{world.a.partner.slug}/staff-invitations/")

    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert {p["name"] for p in operation["parameters"]} >= {"page", "page_size"}


def test_errors_are_documented_in_the_error_shape(schema):
    operation = schema["paths"]["/api/v1/cohorts/{cohort_id}/"]["get"]

    for code in ["401", "403", "404"]:
        content = operation["responses"][code]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    create = schema["paths"]["/api/v1/cohorts/"]["post"]["responses"]
    assert {"400", "409", "413", "415"} <= set(create)
