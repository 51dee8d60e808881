"""Everyday Changemakers on other apps' pages: the notice on the family home when the partner
asks to feature the family."""

from __future__ import annotations

from django import template

from changemakers.selectors import features as selectors
from families.access import FamilySeat
from families.models import Family

register = template.Library()


@register.inclusion_tag("changemakers/features/_family_notice.html")
def feature_requests_notice(family_or_seat: Family | FamilySeat | None) -> dict:
    """A notice while a request to feature the family waits for its answer; a link to its
    past answers otherwise, once it was ever asked (one query)."""
    family = family_or_seat.family if isinstance(family_or_seat, FamilySeat) else family_or_seat
    if not isinstance(family, Family):
        return {"waiting": 0, "total": 0}
    return selectors.family_consent_counts(family)
