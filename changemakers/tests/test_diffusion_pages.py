"""The staff page of practices spreading in a cohort: a sentence, a chart and its table per
practice; 403 for liaisons, 404 for another partner's people; a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changemakers.diffusion import diffusion_recompute
from changemakers.tests.diffusion_data import cohort_with_families, month, own_practice, survey
from tests import clock, factories


def page_url(tenant, cohort=None) -> str:
    return reverse(
        "cohort_diffusion",
        kwargs={"partner_slug": tenant.partner.slug, "cohort_id": (cohort or tenant.cohort).pk},
    )


def spread_in(cohort_families, slugs, months=5):
    """Family k starts every practice in month k: each practice has `months` adopters over as
    many months, enough for a fit."""
    for offset in range(months):
        survey(cohort_families[offset], month(offset), slugs)


@pytest.fixture
def spreading(world):
    """Partner A's cohort gets ten more families; savings circles spread over five months, and
    two families opened a savings account in the first."""
    families = [world.a.seed_family, world.a.friend_family]
    families += [factories.FamilyFactory(group=world.a.group) for _ in range(8)]
    spread_in(families, ["savings-circle"])
    survey(families[6], month(0), ["opened-savings-account"])
    survey(families[7], month(0), ["opened-savings-account"])
    diffusion_recompute(world.a.partner.pk)
    return families


def body_of(response, status=200) -> str:
    """The page's text, once it is known to have rendered with `status`."""
    assert response.status_code == status
    return response.content.decode()


def test_staff_see_each_practice_in_a_sentence_with_its_chart_and_table(world, client, spreading):
    client.force_login(world.a.staff)
    response = client.get(page_url(world.a))
    body = body_of(response)
    assert response.status_code == 200
    assert "Practices spreading" in body
    assert "Joined or started a savings circle: 5 of 10 families; spreading fast;" in body
    assert "Opened a savings account: 2 of 10 families; not spreading now; too early to tell" in (
        body
    )
    # The most adopted first.
    assert body.index("Joined or started a savings circle:") < body.index(
        "Opened a savings account:"
    )
    assert body.count("<svg") == 2
    assert 'role="img"' in body
    # The fitted curve on the savings circle's chart and in its table; none for the other.
    assert body.count("Bass model") >= 2
    assert (
        "Joined or started a savings circle: families who started it, month by month</caption>"
        in body
    )
    assert f'<th scope="row">{clock.month_label(-11)}' in body
    # No family names on the page.
    for family in spreading:
        assert family.name not in body


def test_admins_see_it_too_and_an_empty_cohort_says_so(world, client):
    client.force_login(world.a.admin)
    response = client.get(page_url(world.a))
    assert response.status_code == 200
    assert "No family of this cohort has reported a practice" in body_of(response)
    assert "<svg" not in body_of(response)


def test_liaisons_get_403(world, client, spreading):
    client.force_login(world.a.liaison)
    response = client.get(page_url(world.a))
    assert response.status_code == 403
    assert "Not allowed" in body_of(response, 403)
    assert "savings circle" not in body_of(response, 403)


@pytest.mark.parametrize("who", ["admin", "staff", "liaison", "seed_member", "funder"])
def test_another_partners_people_get_404(world, client, spreading, who):
    client.force_login(getattr(world.b, who))
    assert client.get(page_url(world.a)).status_code == 404
    # Nor through their own partner's address with A's cohort.
    cross = reverse(
        "cohort_diffusion",
        kwargs={"partner_slug": world.b.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    assert client.get(cross).status_code == 404


def test_families_and_outsiders_get_404(world, client, spreading):
    for user in (world.a.seed_member, world.a.funder, world.outsider):
        client.force_login(user)
        assert client.get(page_url(world.a)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(page_url(world.a))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_many_practices_are_paginated_with_a_flat_query_count(world, client):
    wide_cohort, families = cohort_with_families(world.a.partner, 6, name="Wide")
    slugs = [f"practice-{n:02d}" for n in range(12)]
    for n, slug in enumerate(slugs):
        own_practice(world.a.partner, slug, f"Practice {n:02d}")
    few_cohort, few_families = cohort_with_families(world.a.partner, 6, name="Narrow")
    spread_in(families, slugs)
    spread_in(few_families, slugs[:2])
    diffusion_recompute(world.a.partner.pk)
    client.force_login(world.a.staff)

    with CaptureQueriesContext(connection) as few:
        response = client.get(page_url(world.a, few_cohort))
    assert body_of(response).count("<svg") == 2
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(world.a, wide_cohort))
    body = body_of(response)
    assert body.count("<svg") == 10
    assert "Page 1 of 2" in body
    assert len(many) == len(few)

    second = client.get(page_url(world.a, wide_cohort) + "?page=2")
    assert body_of(second).count("<svg") == 2


def test_the_cohort_page_links_here_for_staff_only(world, client):
    cohort_page = reverse(
        "cohort_detail",
        kwargs={"partner_slug": world.a.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    client.force_login(world.a.staff)
    assert page_url(world.a) in body_of(client.get(cohort_page))
    client.force_login(world.a.liaison)
    response = client.get(cohort_page)
    assert response.status_code == 200
    assert "Cohort A" in body_of(response)
    assert page_url(world.a) not in body_of(response)
