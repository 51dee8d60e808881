"""GET /api/v1/changemakers/candidates/: staff and admins see their partners' candidates with
score and reasons (each also in words); filters; 400 on a bad month; liaisons, families and
funders 403, anonymous 401; partner B's never shown to A."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from changemakers.models import Candidate
from changemakers.tests import candidate_data as data
from changemakers.tests.candidate_data import SEPTEMBER
from tests import clock, factories
from tests.seats import signed_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/changemakers/candidates/"


def test_the_route_is_named():
    assert reverse("api_changemaker_candidates") == URL


def test_staff_get_candidates_in_the_contract_shape(world, api):
    candidate = data.candidate(world.a, score=45)
    response = signed_in(api, world.a.staff).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"] == [
        {
            "id": candidate.pk,
            "partner": "partner-a",
            "cohort": {"id": world.a.cohort.pk, "name": "Cohort A"},
            "month": clock.period(-2),
            "kind": "family",
            "subject": {"id": world.a.seed_family.pk, "name": "Seed household A"},
            "score": 45,
            "reasons": [
                {
                    "code": "income_up",
                    "points": 30,
                    "values": {"percent": "52"},
                    "text": "Income up 52% since the baseline",
                },
                {
                    "code": "stories",
                    "points": 15,
                    "values": {"stories": 2},
                    "text": "Shared 2 stories",
                },
            ],
            "state": "surfaced",
        }
    ]


def test_reasons_come_in_the_callers_language(world, api):
    data.candidate(world.a)
    response = signed_in(api, world.a.admin).get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    texts = [reason["text"] for reason in response.json()["results"][0]["reasons"]]
    assert texts and all(text for text in texts)


def test_filters(world, api):
    data.candidate(world.a, score=45)
    data.candidate(world.a, kind="group", score=35)
    data.candidate(world.a, subject=world.a.friend_family, period=SEPTEMBER, score=50)
    data.candidate(
        world.a,
        subject=factories.FamilyFactory(group=world.a.group),
        state=Candidate.State.DISMISSED,
    )
    client = signed_in(api, world.a.staff)

    def subjects(query=""):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return [(r["kind"], r["month"], r["state"]) for r in response.json()["results"]]

    # Newest month first, then score; only those waiting for staff by default.
    assert subjects() == [
        ("family", clock.period(-2), "surfaced"),
        ("group", clock.period(-2), "surfaced"),
        ("family", clock.period(-3), "surfaced"),
    ]
    assert subjects("?kind=group") == [("group", clock.period(-2), "surfaced")]
    assert subjects(f"?month={clock.period(-3)}") == [("family", clock.period(-3), "surfaced")]
    assert subjects("?state=dismissed") == [("family", clock.period(-2), "dismissed")]
    assert len(subjects("?state=all")) == 4
    assert len(subjects(f"?partner=partner-a&cohort={world.a.cohort.pk}")) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?month=2026-13", "month"),
        ("?month=October", "month"),
        ("?kind=person", "kind"),
        ("?state=maybe", "state"),
        ("?partner=partner-b", "partner"),
        ("?cohort=x", "cohort"),
    ],
)
def test_bad_filters_are_400_naming_the_field(world, api, query, field):
    data.candidate(world.a)
    response = signed_in(api, world.a.staff).get(URL + query)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "errors"} and field in body["errors"]


def test_liaisons_families_and_funders_are_403_anonymous_401(world, api):
    data.candidate(world.a)
    for user in (world.a.liaison, world.a.seed_member, world.a.funder, world.outsider):
        response = signed_in(api, user).get(URL)
        assert response.status_code == 403, user
        assert set(response.json()) == {"message", "errors"}
        assert "results" not in response.json()
    api.force_authenticate(None)
    assert api.get(URL).status_code == 401


def test_partners_never_mix(world, api):
    data.candidate(world.a, score=30)
    data.candidate(world.b, score=90)
    a = signed_in(api, world.a.staff).get(URL).json()
    assert [r["partner"] for r in a["results"]] == ["partner-a"]
    assert a["count"] == 1
    b = signed_in(api, world.b.admin).get(URL).json()
    assert [r["subject"]["name"] for r in b["results"]] == ["Seed household B"]


def test_staff_of_two_partners_see_both_each_named(world, api):
    data.candidate(world.a, score=30)
    data.candidate(world.b, score=90)
    factories.MembershipFactory(partner=world.b.partner, user=world.a.staff, role=Role.STAFF)
    client = signed_in(api, world.a.staff)
    results = client.get(URL).json()["results"]
    assert sorted(r["partner"] for r in results) == ["partner-a", "partner-b"]
    only_b = client.get(URL + "?partner=partner-b").json()["results"]
    assert [r["partner"] for r in only_b] == ["partner-b"]


def test_a_liaison_elsewhere_sees_only_where_they_review(world, api):
    data.candidate(world.a, score=30)
    data.candidate(world.b, score=90)
    factories.MembershipFactory(partner=world.b.partner, user=world.a.staff, role=Role.LIAISON)
    client = signed_in(api, world.a.staff)
    assert [r["partner"] for r in client.get(URL).json()["results"]] == ["partner-a"]
    assert client.get(URL + "?partner=partner-b").status_code == 400


def test_the_query_count_is_flat(world, api):
    client = signed_in(api, world.a.staff)

    def add(count):
        for _ in range(count):
            data.candidate(world.a, subject=factories.FamilyFactory(group=world.a.group))
            data.candidate(
                world.a, kind="group", subject=factories.GroupFactory(cohort=world.a.cohort)
            )

    add(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL + "?page_size=100").status_code == 200
    add(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL + "?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == 100
    assert len(many) == len(few)


def test_the_schema_describes_the_endpoint(api, db):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    operation = schema["paths"][URL]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"partner", "state", "kind", "month", "cohort", "page"} <= names
    listed = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][listed.rsplit("/", 1)[-1]]
    item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][item]["properties"]
    assert set(fields) == {
        "id",
        "partner",
        "cohort",
        "month",
        "kind",
        "subject",
        "score",
        "reasons",
        "state",
    }
    assert {"400", "401", "403"} <= set(operation["responses"])
