"""What a family sees of its peers' practices: counts of other families of its own cohort, from
verified surveys, never names, never another cohort's or partner's; one query."""

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changemakers.selectors.diffusion import PEER_SIGNAL_LIMIT, peer_signal
from changemakers.tests.diffusion_data import (
    cohort_with_families,
    month,
    own_practice,
    survey,
)
from surveys.models import SurveyResponse
from tests import factories
from tests.seats import seed_seat


def peers(world, count: int) -> list:
    return [factories.FamilyFactory(group=world.a.group) for _ in range(count)]


def counts(family) -> list[tuple[str, int]]:
    return [(item.slug, item.families) for item in peer_signal(family)]


def test_other_families_of_the_cohort_are_counted_once_the_most_adopted_first(world):
    a, b, c = peers(world, 3)
    survey(a, month(0), ["savings-circle"])
    survey(a, month(1), ["savings-circle", "took-training"])  # a counts once per practice
    survey(b, month(1), ["savings-circle"])
    survey(c, month(1), ["savings-circle", "shared-childcare"])
    survey(c, month(2), ["took-training"])

    assert counts(world.a.seed_family) == [
        ("savings-circle", 3),
        ("took-training", 2),
        ("shared-childcare", 1),
    ]
    names = [item.name for item in peer_signal(world.a.seed_family)]
    assert names[0] == "Joined or started a savings circle"


def test_the_familys_own_reports_and_unverified_ones_do_not_count(world):
    (a,) = peers(world, 1)
    survey(world.a.seed_family, month(0), ["savings-circle", "took-training"])
    survey(a, month(0), ["savings-circle"])
    survey(a, month(1), ["took-training"], state=SurveyResponse.State.SUBMITTED)
    survey(world.a.friend_family, month(0), ["shared-childcare"], state="needs_correction")

    assert counts(world.a.seed_family) == [("savings-circle", 1)]
    # The other family sees the seed's adoption.
    assert counts(a) == [("savings-circle", 1), ("took-training", 1)]


def test_never_another_cohorts_or_partners_families(world):
    _cohort, neighbours = cohort_with_families(world.a.partner, 3, name="Hillside")
    _b_cohort, b_families = cohort_with_families(world.b.partner, 3, name="Bay")
    for family in neighbours + b_families + [world.b.seed_family]:
        survey(family, month(0), ["savings-circle"])
    assert counts(world.a.seed_family) == []
    assert counts(neighbours[0]) == [("savings-circle", 2)]
    assert counts(b_families[0]) == [("savings-circle", 2)]
    assert counts(world.b.friend_family) == [("savings-circle", 1)]  # B's seed, same cohort


def test_a_handful_at_most(world):
    families = peers(world, 2)
    slugs = [f"practice-{n:02d}" for n in range(PEER_SIGNAL_LIMIT + 3)]
    for n, slug in enumerate(slugs):
        own_practice(world.a.partner, slug, f"Practice {n:02d}")
    survey(families[0], month(0), slugs)
    survey(families[1], month(0), slugs[-1:])
    found = counts(world.a.seed_family)
    assert len(found) == PEER_SIGNAL_LIMIT
    assert found[0] == (slugs[-1], 2)


def test_the_family_home_shows_counts_and_no_names(world, client):
    others = peers(world, 12)
    for family in others:
        survey(family, month(0), ["savings-circle"])
    survey(others[0], month(1), ["took-training"])
    client.force_login(world.a.seed_member)
    response = client.get(reverse("family_home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "What families in your community started" in body
    assert "<strong>Joined or started a savings circle</strong>: 12 families in your community" in (
        body
    )
    assert "<strong>Found a job through a peer</strong>" not in body
    assert ": 1 family in your community" in body
    section = body[body.index("peer-signal-heading") :]
    section = section[: section.index("</section>")]
    for family in others:
        assert family.name not in section


def test_nothing_to_show_renders_nothing(world, client):
    client.force_login(world.a.seed_member)
    response = client.get(reverse("family_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A" in body
    assert "peer-signal" not in body


def test_the_tag_takes_a_seat_too_and_costs_one_query_however_many_practices(world):
    template = Template("{% load diffusion_tags %}{% peer_signal seat %}")
    families = peers(world, 3)
    survey(families[0], month(0), ["savings-circle"])
    with CaptureQueriesContext(connection) as one:
        html = template.render(Context({"seat": seed_seat(world.a)}))
    assert "1 family in your community" in html

    for n, family in enumerate(families):
        survey(family, month(n + 1), ["took-training", "shared-childcare", "tutoring-circle"])
    with CaptureQueriesContext(connection) as many:
        html = template.render(Context({"seat": seed_seat(world.a)}))
    assert "3 families in your community" in html
    assert len(many) == len(one) == 1
    assert (
        Template("{% load diffusion_tags %}{% peer_signal nobody %}").render(Context()).strip()
        == ""
    )
