"""Shared pieces of the surveys API: who is asking, and query parameters checked as input.

The API's URLs carry no partner. Staff and liaisons are resolved from the object (a survey or
a story names its partner, and the caller needs a membership there and may see its cohort);
families act through their own household (`families.access.family_seat`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from accounts import policy
from families import access as family_access
from families.access import FamilySeat
from families.api.common import int_param
from families.models import Cohort
from mutuality.errors import InvalidInput, NotAllowed

COHORT_PARAMETER = OpenApiParameter(
    "cohort",
    OpenApiTypes.INT,
    description="Staff and liaisons: only this cohort (one they may see, else 404).",
)


def choice_param(request, name: str, choices) -> str | None:
    """An optional query parameter that must be one of `choices`; a 400 naming it otherwise."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices.values:
        raise InvalidInput.for_field(
            name, _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}
        )
    return value


def reads_as_staff(request) -> tuple[list[policy.Seat], FamilySeat | None]:
    """Who a list is for: staff seats (when the caller has some and is not a family member, or
    asks for a `?cohort=`), else the caller's family. Returns (seats, family seat); exactly one
    of them is set, or neither."""
    family = family_access.family_seat_or_none(request.user)
    seats = family_access.staff_seats(request.user)
    if seats and (family is None or "cohort" in request.query_params):
        return seats, None
    return [], family


def cohort_filter(request) -> Cohort | None:
    """`?cohort=` for staff and liaisons: a cohort they may see, or 404."""
    if "cohort" not in request.query_params:
        return None
    _seat, cohort = family_access.staff_seat_for_cohort(request.user, int_param(request, "cohort"))
    return cohort


def acting_family(user, *, staff_message: str) -> FamilySeat:
    """The caller's household, for what only families do. Staff and liaisons get 403 with
    `staff_message`; anyone else a 403 saying only family members do this."""
    seat = family_access.family_seat_or_none(user)
    if seat is not None:
        return seat
    if family_access.staff_seats(user):
        raise NotAllowed(staff_message)
    raise NotAllowed(_("Only family members can do this."))
