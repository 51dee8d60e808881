"""Shared pieces of the changemakers API: a cohort for its staff, and people as references.

Like the families API, URLs carry no partner: staff and liaisons are resolved from the cohort
(`families.access.staff_seat_for_cohort`), families through their own household.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import policy
from families import access
from families.models import Cohort
from mutuality.errors import NotAllowed, NotFound
from surveys.api.responses import PersonRefSerializer

__all__ = ["PersonRefSerializer", "cohort_for_staff", "person"]


def person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": user.name}


def cohort_for_staff(user, cohort_id) -> tuple[policy.Seat, Cohort]:
    """Staff and the liaisons of the cohort; its own families get 403 (they know the cohort),
    anyone else 404."""
    try:
        return access.staff_seat_for_cohort(user, cohort_id)
    except NotFound:
        family = access.family_seat_or_none(user)
        if family is not None and family.family.cohort_id == cohort_id:
            raise NotAllowed(_("This is for the partner's staff and liaisons.")) from None
        raise
