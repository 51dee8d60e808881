"""GET /api/v1/cohorts/{id}/diffusion/: per practice, adopters month by month, the Bass fit and
the sentence; staff and admins only (liaisons and the cohort's families 403, others 404)."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changemakers.diffusion import diffusion_recompute
from changemakers.tests.diffusion_data import (
    adopt_along,
    bass_counts,
    cohort_with_families,
    month,
    own_practice,
    survey,
)
from tests import clock
from tests.seats import signed_in


def url(cohort) -> str:
    return f"/api/v1/cohorts/{cohort.pk}/diffusion/"


@pytest.fixture
def spreading(world):
    """A cohort of partner A where savings circles spread along a Bass curve (p 0.03, q 0.4,
    100 families, 18 months) and two families opened a savings account in month 2."""
    cohort, families = cohort_with_families(world.a.partner, 100)
    adopt_along(families, bass_counts(0.03, 0.4, 100, 18), "savings-circle")
    survey(families[-2], month(2), ["opened-savings-account"])
    survey(families[-3], month(2), ["opened-savings-account"])
    diffusion_recompute(world.a.partner.pk)
    return cohort


def test_staff_read_each_practice_with_its_months_fit_and_sentence(world, api, spreading):
    response = signed_in(api, world.a.staff).get(url(spreading))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    circle, account = body["results"]

    assert circle["practice"] == {
        "slug": "savings-circle",
        "name": "Joined or started a savings circle",
    }
    assert (circle["families"], circle["adopters"], circle["share"]) == (100, 99, 0.99)
    assert circle["recent_adopters"] == 1
    assert circle["pace"] == "nearly_everyone"
    assert len(circle["months"]) == 18
    assert circle["months"][0] == {"month": clock.period(-11), "new_adopters": 4, "adopters": 4}
    assert circle["months"][-1] == {"month": clock.period(6), "new_adopters": 0, "adopters": 99}
    fit = circle["fit"]
    assert fit["p"] == pytest.approx(0.03, abs=0.01)
    assert fit["q"] == pytest.approx(0.4, abs=0.05)
    assert fit["peak_month"] == clock.period(-5)
    assert circle["sentence"] == (
        "Joined or started a savings circle: 99 of 100 families; nearly everyone; "
        f"peak was around {clock.month_label(-5)}"
    )

    assert account["practice"]["slug"] == "opened-savings-account"
    assert account["adopters"] == 2
    assert account["share"] == 0.02
    # From its first adopters to the cohort's last month, the months without any as zeros.
    assert len(account["months"]) == 16
    assert account["months"][1] == {"month": clock.period(-8), "new_adopters": 0, "adopters": 2}
    assert account["fit"] is None
    assert account["sentence"].endswith("not spreading now; too early to tell")


def test_the_sentence_follows_accept_language(world, api, spreading):
    response = signed_in(api, world.a.admin).get(url(spreading), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    circle = response.json()["results"][0]
    assert circle["practice"]["name"] == "Se unió o formó un círculo de ahorro"
    assert circle["sentence"].startswith("Se unió o formó un círculo de ahorro:")
    assert clock.month_label(-5, "es") in circle["sentence"]


def test_an_empty_cohort_is_an_empty_list(world, api):
    response = signed_in(api, world.a.staff).get(url(world.a.cohort))
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert response.json()["results"] == []


def test_liaisons_and_the_cohorts_families_get_403(world, api):
    for user in (world.a.liaison, world.a.seed_member, world.a.friend_member):
        response = signed_in(api, user).get(url(world.a.cohort))
        assert response.status_code == 403, user
        assert set(response.json()) == {"message", "errors"}


@pytest.mark.parametrize("who", ["admin", "staff", "liaison", "seed_member", "funder"])
def test_everyone_else_gets_404(world, api, spreading, who):
    response = signed_in(api, getattr(world.b, who)).get(url(spreading))
    assert response.status_code == 404
    assert set(response.json()) == {"message", "errors"}
    assert "savings" not in response.content.decode()


def test_partner_as_funder_and_outsider_get_404(world, api, spreading):
    for user in (world.a.funder, world.outsider):
        assert signed_in(api, user).get(url(spreading)).status_code == 404


def test_anonymous_callers_get_401(world, api):
    assert api.get(url(world.a.cohort)).status_code == 401


def test_the_list_is_paginated_with_a_flat_query_count(world, api):
    few_cohort, few = cohort_with_families(world.a.partner, 5, name="Narrow")
    many_cohort, many = cohort_with_families(world.a.partner, 5, name="Wide")
    slugs = [f"practice-{n:02d}" for n in range(12)]
    for n, slug in enumerate(slugs):
        own_practice(world.a.partner, slug, f"Practice {n:02d}")
    for offset in range(5):
        survey(few[offset], month(offset), slugs[:2])
        survey(many[offset], month(offset), slugs)
    diffusion_recompute(world.a.partner.pk)
    client = signed_in(api, world.a.staff)

    with CaptureQueriesContext(connection) as two:
        response = client.get(url(few_cohort))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    with CaptureQueriesContext(connection) as twelve:
        response = client.get(url(many_cohort))
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 12
    assert len(twelve) == len(two)

    response = client.get(url(many_cohort) + "?page_size=5&page=3")
    assert response.status_code == 200
    paged = response.json()
    assert paged["count"] == 12
    assert len(paged["results"]) == 2
    assert paged["next"] is None


def test_the_schema_describes_the_endpoint(api, db):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/cohorts/{cohort_id}/diffusion/"]["get"]
    assert set(operation["responses"]) >= {"200", "403", "404"}
    listed = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][listed.rsplit("/", 1)[-1]]
    item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][item]["properties"]
    assert {"practice", "families", "adopters", "share", "months", "fit", "sentence"} <= set(fields)
