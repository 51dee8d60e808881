"""Network metrics of a cohort and its picture, checked against values computed by hand."""

import xml.etree.ElementTree as ET
from itertools import combinations, pairwise

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from families.models import Tie
from families.network import cohort_network
from families.services import tie_record
from tests.factories import CohortFactory, FamilyFactory, GroupFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def make_group(cohort, size, name="Group"):
    group = GroupFactory(cohort=cohort, name=name)
    return [
        FamilyFactory(group=group, is_seed=(i == 0), name=f"{name} household {i}")
        for i in range(size)
    ]


def tie_all(families, reason=Tie.Reason.INVITED):
    for first, second in combinations(families, 2):
        tie_record(first=first, second=second, reason=reason)


def two_closed_groups():
    """Two groups of three, every family tied to every other family of its own group."""
    cohort = CohortFactory()
    north = make_group(cohort, 3, "North")
    south = make_group(cohort, 3, "South")
    tie_all(north)
    tie_all(south)
    return cohort, north, south


def parse(svg):
    return ET.fromstring(str(svg))


def circles(svg):
    return parse(svg).findall(f".//{SVG}circle")


def dashed_lines(svg):
    return [line for line in parse(svg).iter(f"{SVG}line") if line.get("stroke-dasharray")]


def test_two_groups_tied_only_inside_have_an_ei_index_of_minus_one():
    cohort, _north, _south = two_closed_groups()

    network = cohort_network(cohort)

    assert network.families == 6
    assert network.groups == 2
    assert network.ties_by_kind == {"bonding": 6, "bridging": 0}
    assert network.bridging_share == 0.0
    assert network.ei_index == -1.0
    assert network.largest_component == 3


def test_one_bridging_tie_is_counted_in_every_measure():
    cohort, north, south = two_closed_groups()
    tie_record(first=north[0], second=south[1], reason=Tie.Reason.MET)

    network = cohort_network(cohort)

    assert network.ties_by_kind == {"bonding": 6, "bridging": 1}
    assert network.bridging_share == pytest.approx(2 / 6)
    # 1 external pair, 6 internal pairs: (1 - 6) / (1 + 6).
    assert network.ei_index == pytest.approx(-5 / 7)
    assert network.largest_component == 6


def test_several_ties_between_the_same_two_families_count_as_one_pair():
    cohort = CohortFactory()
    north = make_group(cohort, 2, "North")
    south = make_group(cohort, 1, "South")
    tie_record(first=north[0], second=north[1], reason=Tie.Reason.INVITED)
    tie_record(first=north[0], second=north[1], reason=Tie.Reason.HELPED)
    tie_record(first=north[1], second=south[0], reason=Tie.Reason.HELPED)
    tie_record(first=north[1], second=south[0], reason=Tie.Reason.MET)
    assert Tie.objects.filter(cohort=cohort).count() == 4

    network = cohort_network(cohort)

    assert network.ties_by_kind == {"bonding": 1, "bridging": 1}
    assert network.bridging_share == pytest.approx(2 / 3)
    assert network.ei_index == pytest.approx(0.0)  # one pair inside, one across
    assert len(dashed_lines(network.svg)) == 1


def test_the_ei_index_uses_the_groups_families_are_in_now():
    cohort = CohortFactory()
    north = make_group(cohort, 2, "North")
    south = make_group(cohort, 1, "South")
    mover = north[1]
    tie_record(first=north[0], second=mover, reason=Tie.Reason.INVITED)  # bonding back then
    mover.group_id = south[0].group_id
    mover.save()
    tie_record(first=north[0], second=mover, reason=Tie.Reason.MET)  # bridging now

    network = cohort_network(cohort)

    # The pair keeps both kinds, but it is one pair and it now crosses groups.
    assert network.ties_by_kind == {"bonding": 1, "bridging": 1}
    assert network.ei_index == 1.0
    assert network.bridging_share == pytest.approx(2 / 3)


def test_an_isolated_family_is_a_component_of_its_own():
    cohort = CohortFactory()
    north = make_group(cohort, 4, "North")
    tie_record(first=north[0], second=north[1], reason=Tie.Reason.INVITED)
    tie_record(first=north[1], second=north[2], reason=Tie.Reason.HELPED)

    network = cohort_network(cohort)

    assert network.families == 4
    assert network.largest_component == 3
    assert network.ei_index == -1.0
    assert len(circles(network.svg)) == 4


def test_families_without_any_tie_are_components_of_size_one():
    cohort = CohortFactory()
    make_group(cohort, 3, "North")

    network = cohort_network(cohort)

    assert network.largest_component == 1
    assert network.ties_by_kind == {"bonding": 0, "bridging": 0}
    assert network.ei_index is None


def test_an_empty_cohort_has_zeros_and_no_ei_index():
    network = cohort_network(CohortFactory())

    assert network.families == 0
    assert network.ties_by_kind == {"bonding": 0, "bridging": 0}
    assert network.bridging_share == 0.0
    assert network.ei_index is None
    assert network.largest_component == 0
    assert circles(network.svg) == []
    assert parse(network.svg).get("role") == "img"


def test_a_family_without_a_group_sits_in_the_centre_and_its_ties_cross_groups():
    cohort = CohortFactory()
    north = make_group(cohort, 2, "North")
    loner = FamilyFactory(group=None, cohort=cohort, partner=cohort.partner, name="Loner")
    tie_record(first=north[0], second=north[1], reason=Tie.Reason.INVITED)
    tie_record(first=north[0], second=loner, reason=Tie.Reason.HELPED)

    network = cohort_network(cohort)

    assert network.ties_by_kind == {"bonding": 1, "bridging": 1}
    assert network.ei_index == pytest.approx(0.0)
    assert network.ungrouped == 1
    centre = [c for c in circles(network.svg) if "family-ungrouped" in c.get("class")]
    assert [(c.get("cx"), c.get("cy")) for c in centre] == [("200.0", "200.0")]
    assert "1 family without a group is in the centre." in str(network.svg)


def test_the_picture_has_a_circle_per_family_and_a_dashed_line_per_bridging_pair():
    cohort, north, south = two_closed_groups()
    third = make_group(cohort, 4, "East")
    tie_record(first=north[0], second=south[0], reason=Tie.Reason.MET)
    tie_record(first=north[1], second=third[2], reason=Tie.Reason.HELPED)
    tie_record(first=south[2], second=third[3], reason=Tie.Reason.MET)
    tie_record(first=south[2], second=third[3], reason=Tie.Reason.HELPED)

    network = cohort_network(cohort)
    root = parse(network.svg)

    assert len(circles(network.svg)) == 10
    assert len(dashed_lines(network.svg)) == 3 == network.ties_by_kind["bridging"]
    solid = [line for line in root.iter(f"{SVG}line") if not line.get("stroke-dasharray")]
    assert len(solid) == 6
    # Seeds are drawn larger than friends.
    seeds = [c for c in circles(network.svg) if "family-seed" in c.get("class")]
    friends = [c for c in circles(network.svg) if "family-friend" in c.get("class")]
    assert len(seeds) == 3
    assert len(friends) == 7
    assert float(seeds[0].get("r")) > float(friends[0].get("r"))


def test_the_picture_is_accessible_and_names_no_family():
    cohort, north, south = two_closed_groups()
    tie_record(first=north[0], second=south[0], reason=Tie.Reason.MET)

    network = cohort_network(cohort)
    svg = str(network.svg)
    root = parse(svg)

    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 400 400"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Network of the families of this cohort"
    assert desc.text == "6 families in 2 groups; 6 bonding ties and 1 bridging tie."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for family in north + south:
        assert family.name not in svg
    assert "household" not in svg.lower()
    assert "<script" not in svg
    assert "href" not in svg


def test_the_picture_is_the_same_every_time():
    cohort, north, south = two_closed_groups()
    tie_record(first=north[2], second=south[1], reason=Tie.Reason.MET)

    assert cohort_network(cohort).svg == cohort_network(cohort).svg


def test_the_section_shows_the_picture_the_legend_and_the_measures():
    cohort, north, south = two_closed_groups()
    tie_record(first=north[0], second=south[1], reason=Tie.Reason.MET)

    html = render_to_string("families/staff/_network.html", {"network": cohort_network(cohort)})

    assert '<h2 id="network-heading">Network</h2>' in html
    assert 'role="img"' in html
    assert "Bridging tie: across groups (dashed line)" in html
    assert "33%" in html  # 2 of 6 families have a bridging tie
    assert "-0.71" in html  # (1 - 6) / 7
    assert "all ties inside groups" in html
    assert "6 of 6" in html
    for family in north + south:
        assert family.name not in html


def test_the_section_for_an_empty_cohort_says_so():
    html = render_to_string(
        "families/staff/_network.html", {"network": cohort_network(CohortFactory())}
    )

    assert "No families in this cohort yet." in html
    assert "No ties yet" in html
    assert "0%" in html


def test_another_partners_ties_are_never_counted(world):
    a, b = world.a, world.b
    tie_record(first=a.seed_family, second=a.friend_family, reason=Tie.Reason.INVITED)
    b_other = make_group(b.cohort, 2, "B east")
    tie_record(first=b.seed_family, second=b.friend_family, reason=Tie.Reason.INVITED)
    tie_record(first=b.seed_family, second=b_other[0], reason=Tie.Reason.MET)
    tie_record(first=b.friend_family, second=b_other[1], reason=Tie.Reason.MET)

    network = cohort_network(a.cohort)

    assert network.families == 2
    assert network.ties_by_kind == {"bonding": 1, "bridging": 0}
    assert network.bridging_share == 0.0
    assert network.ei_index == -1.0
    assert len(circles(network.svg)) == 2
    assert cohort_network(b.cohort).ties_by_kind == {"bonding": 1, "bridging": 2}


def build_cohort(families_count):
    """Groups of ten: a seed tied to its friends, and each seed to the next group's seed."""
    cohort = CohortFactory()
    seeds = []
    for start in range(0, families_count, 10):
        group = make_group(cohort, min(10, families_count - start), f"G{start}")
        for friend in group[1:]:
            tie_record(first=group[0], second=friend, reason=Tie.Reason.INVITED)
        seeds.append(group[0])
    for first, second in pairwise(seeds):
        tie_record(first=first, second=second, reason=Tie.Reason.MET)
    return cohort


@pytest.mark.parametrize("families_count", [10, 100])
def test_the_number_of_queries_does_not_grow_with_the_cohort(
    families_count, django_assert_max_num_queries
):
    cohort = build_cohort(families_count)

    with django_assert_max_num_queries(2):
        network = cohort_network(cohort)

    assert network.families == families_count
    assert len(circles(network.svg)) == families_count


def test_ten_and_a_hundred_families_take_the_same_queries():
    small, large = build_cohort(10), build_cohort(100)

    with CaptureQueriesContext(connection) as for_small:
        cohort_network(small)
    with CaptureQueriesContext(connection) as for_large:
        network = cohort_network(large)

    assert len(for_small) == len(for_large)
    assert network.largest_component == 100
    assert network.ties_by_kind == {"bonding": 90, "bridging": 9}
