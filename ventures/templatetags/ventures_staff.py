"""Template tags for pages that other apps render (the staff home is the project's)."""

from django import template

from accounts import policy
from ventures import selectors

register = template.Library()


@register.simple_tag
def asks_waiting_count(seat: policy.Seat) -> int:
    """How many funding asks wait for the partner's check (0 for roles that do not check)."""
    if seat is None or not seat.can("ask.review"):
        return 0
    return selectors.asks_waiting_count(seat)
