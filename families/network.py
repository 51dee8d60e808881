"""Network metrics of a cohort and a small server-rendered picture of it.

Families are nodes (with their current group), ties are edges. Several ties between the same two
families (invited, helped, met) are one edge for the metrics, but each kind is kept: a pair may be
tied both by bonding and by bridging. Reads only: two queries whatever the size of the cohort.

The picture never names a family (it may be shown where names are not consented): circles only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from families.models import Cohort, Family, Tie

BONDING = Tie.Kind.BONDING.value
BRIDGING = Tie.Kind.BRIDGING.value

# Picture geometry, in viewBox units (the picture scales to the width of the screen).
SIZE = 400
CENTRE = SIZE / 2
RING = 135  # radius of the large circle the groups sit on
SEED_RADIUS = 8
FRIEND_RADIUS = 5.5
NODE_SPACING = 19  # distance between neighbours on a group's small circle
GROUP_RADIUS_MIN = 14
GROUP_RADIUS_MAX = 55

# Colours with enough contrast on white (WCAG 1.4.11, at least 3:1 for graphics).
SEED_FILL = "#0b5cad"
FRIEND_FILL = "#4f86c6"
UNGROUPED_FILL = "#4a5360"
BONDING_STROKE = "#6b7580"
BRIDGING_STROKE = "#b45309"


@dataclass
class CohortNetwork:
    families: int
    groups: int
    ties_by_kind: dict[str, int]
    bridging_share: float
    ei_index: float | None
    largest_component: int
    ungrouped: int = 0
    svg: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def bonding_ties(self) -> int:
        return self.ties_by_kind[BONDING]

    @property
    def bridging_ties(self) -> int:
        return self.ties_by_kind[BRIDGING]

    @property
    def bridging_share_percent(self) -> float:
        return self.bridging_share * 100


def cohort_network(cohort: Cohort) -> CohortNetwork:
    """Ties of each kind, families with a bridging tie, Krackhardt's E-I index over the tied pairs
    (with the families' current groups; a family without a group is outside every group), and the
    size of the largest connected component."""
    nodes = list(
        Family.objects.filter(partner=cohort.partner_id, cohort=cohort)
        .order_by("pk")
        .values_list("pk", "group_id", "is_seed")
    )
    rows = (
        Tie.objects.filter(partner=cohort.partner_id, cohort=cohort)
        .order_by("family_low_id", "family_high_id", "kind")
        .values_list("family_low_id", "family_high_id", "kind")
    )

    graph = nx.Graph()
    for pk, group_id, is_seed in nodes:
        graph.add_node(pk, group=group_id, seed=is_seed)
    for low, high, kind in rows:
        if low not in graph or high not in graph:
            continue
        if graph.has_edge(low, high):
            graph.edges[low, high]["kinds"].add(kind)
        else:
            graph.add_edge(low, high, kinds={kind})

    pairs = {BONDING: 0, BRIDGING: 0}
    bridged: set[int] = set()
    internal = external = 0
    for low, high, data in graph.edges(data=True):
        for kind in data["kinds"]:
            if kind in pairs:
                pairs[kind] += 1
        if BRIDGING in data["kinds"]:
            bridged.update((low, high))
        group = graph.nodes[low]["group"]
        if group is not None and group == graph.nodes[high]["group"]:
            internal += 1
        else:
            external += 1

    count = graph.number_of_nodes()
    groups = {g for _pk, g, _seed in nodes if g is not None}
    network = CohortNetwork(
        families=count,
        groups=len(groups),
        ties_by_kind=pairs,
        bridging_share=len(bridged) / count if count else 0.0,
        ei_index=(external - internal) / (external + internal) if external + internal else None,
        largest_component=max((len(c) for c in nx.connected_components(graph)), default=0),
        ungrouped=sum(1 for _pk, g, _seed in nodes if g is None),
    )
    network.svg = network_svg(graph, network, key=str(cohort.pk))
    return network


# The picture ----------------------------------------------------------------------------------


def _ring(
    count: int, radius: float, cx: float, cy: float, start: float = 0.0
) -> list[tuple[float, float]]:
    """`count` points evenly on a circle, going clockwise from the angle `start` (in turns,
    0 is the top)."""
    if count == 1:
        return [(cx, cy)]
    angles = [2 * math.pi * (start + i / count) for i in range(count)]
    return [(cx + radius * math.sin(a), cy - radius * math.cos(a)) for a in angles]


def _small_radius(members: int, limit: float) -> float:
    wanted = members * NODE_SPACING / (2 * math.pi)
    return max(GROUP_RADIUS_MIN, min(wanted, limit))


def layout(graph: nx.Graph) -> dict[int, tuple[float, float]]:
    """Deterministic positions: groups evenly on a large circle (in the order of their ids), each
    group's families on a small circle around its centre (seeds first and facing outwards, then
    by id), families without a group around the centre of the picture."""
    by_group: dict[int | None, list[int]] = {}
    for pk in sorted(graph.nodes, key=lambda n: (not graph.nodes[n]["seed"], n)):
        by_group.setdefault(graph.nodes[pk]["group"], []).append(pk)
    ungrouped = by_group.pop(None, [])
    group_ids = sorted(by_group)

    positions: dict[int, tuple[float, float]] = {}
    if len(group_ids) == 1 and not ungrouped:
        centres = [(CENTRE, CENTRE)]
        limit = CENTRE - 2 * SEED_RADIUS
    else:
        centres = _ring(len(group_ids), RING, CENTRE, CENTRE) if group_ids else []
        if len(group_ids) == 1:  # one group beside the families without a group
            centres = [(CENTRE, CENTRE - RING)]
        # Neighbouring groups must not overlap: half the distance between two centres.
        between = RING * math.sin(math.pi / len(group_ids)) if len(group_ids) > 1 else RING
        limit = min(GROUP_RADIUS_MAX, between - SEED_RADIUS - 2)
    for index, (group_id, (cx, cy)) in enumerate(zip(group_ids, centres, strict=True)):
        members = by_group[group_id]
        radius = _small_radius(len(members), limit)
        # The seed faces outwards, away from the centre of the picture.
        start = index / len(group_ids) if len(centres) > 1 else 0.0
        for pk, point in zip(members, _ring(len(members), radius, cx, cy, start), strict=True):
            positions[pk] = point
    if ungrouped:
        limit = RING - GROUP_RADIUS_MAX - SEED_RADIUS if group_ids else CENTRE - 2 * SEED_RADIUS
        radius = _small_radius(len(ungrouped), limit)
        for pk, point in zip(ungrouped, _ring(len(ungrouped), radius, CENTRE, CENTRE), strict=True):
            positions[pk] = point
    return positions


def _n(value: float) -> str:
    return f"{value:.1f}"


def network_description(network: CohortNetwork) -> str:
    """One sentence for screen readers, e.g. "42 families in 5 groups; 8 bridging ties."."""
    families = ngettext("%(count)d family", "%(count)d families", network.families) % {
        "count": network.families
    }
    groups = ngettext("%(count)d group", "%(count)d groups", network.groups) % {
        "count": network.groups
    }
    bonding = ngettext("%(count)d bonding tie", "%(count)d bonding ties", network.bonding_ties) % {
        "count": network.bonding_ties
    }
    bridging = ngettext(
        "%(count)d bridging tie", "%(count)d bridging ties", network.bridging_ties
    ) % {"count": network.bridging_ties}
    text = _("%(families)s in %(groups)s; %(bonding)s and %(bridging)s.") % {
        "families": families,
        "groups": groups,
        "bonding": bonding,
        "bridging": bridging,
    }
    if network.ungrouped:
        text += " " + ngettext(
            "%(count)d family without a group is in the centre.",
            "%(count)d families without a group are in the centre.",
            network.ungrouped,
        ) % {"count": network.ungrouped}
    return text


def network_svg(graph: nx.Graph, network: CohortNetwork, *, key: str) -> SafeString:
    """An inline SVG: circles for families, thin solid lines for bonding ties, thicker dashed
    lines of another colour for bridging ties. No names, no scripts, no external references."""
    positions = layout(graph)
    title_id = f"network-{key}-title"
    desc_id = f"network-{key}-desc"
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{} {}" '
            'class="network-picture">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            SIZE,
            SIZE,
            title_id,
            desc_id,
            title_id,
            _("Network of the families of this cohort"),
            desc_id,
            network_description(network),
        )
    ]

    bonding, bridging = [], []
    for low, high, data in sorted(graph.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2]))):
        (x1, y1), (x2, y2) = positions[low], positions[high]
        coords = (_n(x1), _n(y1), _n(x2), _n(y2))
        if BONDING in data["kinds"]:
            bonding.append(
                format_html(
                    '<line class="tie tie-bonding" x1="{}" y1="{}" x2="{}" y2="{}"/>', *coords
                )
            )
        if BRIDGING in data["kinds"]:
            bridging.append(
                format_html(
                    '<line class="tie tie-bridging" x1="{}" y1="{}" x2="{}" y2="{}" '
                    'stroke-dasharray="6 4"/>',
                    *coords,
                )
            )
    # Bridging ties are drawn over bonding ones, and families over both.
    parts.append(
        format_html('<g stroke="{}" stroke-width="1.25" stroke-linecap="round">', BONDING_STROKE)
    )
    parts.extend(bonding)
    parts.append(mark_safe("</g>"))
    parts.append(
        format_html(
            '<g stroke="{}" stroke-width="3" stroke-linecap="round" fill="none">',
            BRIDGING_STROKE,
        )
    )
    parts.extend(bridging)
    parts.append(mark_safe("</g>"))

    parts.append(mark_safe('<g stroke="#ffffff" stroke-width="1.5">'))
    for pk in sorted(graph.nodes):
        node = graph.nodes[pk]
        x, y = positions[pk]
        if node["group"] is None:
            css, fill, radius = "family family-ungrouped", UNGROUPED_FILL, FRIEND_RADIUS
        elif node["seed"]:
            css, fill, radius = "family family-seed", SEED_FILL, SEED_RADIUS
        else:
            css, fill, radius = "family family-friend", FRIEND_FILL, FRIEND_RADIUS
        parts.append(
            format_html(
                '<circle class="{}" cx="{}" cy="{}" r="{}" fill="{}"/>',
                css,
                _n(x),
                _n(y),
                _n(radius),
                fill,
            )
        )
    parts.append(mark_safe("</g></svg>"))
    return mark_safe("".join(parts))  # noqa: S308
