"""Pieces of the diffusion of practices that other apps' pages show: the peer signal on the
family home, and whether a staff seat may open the cohort's practices-spreading page."""

from __future__ import annotations

from django import template

from accounts import policy
from changemakers.selectors import diffusion as selectors
from families.access import FamilySeat
from families.models import Family

register = template.Library()


@register.inclusion_tag("changemakers/diffusion/_peer_signal.html")
def peer_signal(family_or_seat: Family | FamilySeat | None) -> dict:
    """What other families of the family's cohort took up, as counts (one query)."""
    family = family_or_seat.family if isinstance(family_or_seat, FamilySeat) else family_or_seat
    if not isinstance(family, Family):
        return {"practices": []}
    return {"practices": selectors.peer_signal(family)}


@register.filter
def can_view_diffusion(seat: policy.Seat | None) -> bool:
    return seat is not None and seat.can("diffusion.view")
