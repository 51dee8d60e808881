"""Fetch families' objects by id for an actor, or 404.

The decisions are `accounts.policy`'s; these helpers only look things up starting from the
actor's partner or family, and answer the same 404 for "missing" and "not yours".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Membership, User
from families.models import (
    Cohort,
    Family,
    FamilyInvitation,
    Group,
    HelpExchange,
    PeerConsultant,
    Post,
    StaffRequest,
)
from mutuality.errors import NotFound


@dataclass(frozen=True)
class FamilySeat:
    """A signed-in member of a household, acting for it."""

    user: User
    family: Family

    @property
    def partner(self):
        return self.family.partner


def _not_found():
    return NotFound(_("Not found."))


def family_seat(user) -> FamilySeat:
    """The household the user belongs to, or 404 for anyone who is not a family member."""
    if not user.is_authenticated:
        raise _not_found()
    family = (
        Family.objects.select_related("partner", "cohort", "group")
        .filter(members__user=user)
        .first()
    )
    if family is None:
        raise _not_found()
    return FamilySeat(user=user, family=family)


def family_seat_or_none(user) -> FamilySeat | None:
    try:
        return family_seat(user)
    except NotFound:
        return None


# Staff and liaisons ---------------------------------------------------------------------------


def access_cohort(seat: policy.Seat, cohort_id) -> Cohort:
    cohort = (
        Cohort.objects.filter(partner=seat.partner, pk=_int(cohort_id))
        .select_related("partner")
        .first()
    )
    if cohort is None or not policy.can_view_cohort(seat, cohort):
        raise _not_found()
    return cohort


def access_family_for_staff(seat: policy.Seat, family_id) -> Family:
    family = (
        Family.objects.filter(partner=seat.partner, pk=_int(family_id))
        .select_related("cohort", "group", "invited_by")
        .first()
    )
    if family is None or not policy.can_view_cohort(seat, family.cohort):
        raise _not_found()
    return family


def access_group_for_staff(seat: policy.Seat, group_id) -> Group:
    group = (
        Group.objects.filter(partner=seat.partner, pk=_int(group_id))
        .select_related("cohort")
        .first()
    )
    if group is None or not policy.can_view_cohort(seat, group.cohort):
        raise _not_found()
    return group


def access_staff_request_for_staff(seat: policy.Seat, request_id) -> StaffRequest:
    """A family's request to staff, for staff of its partner and the liaisons of its cohort."""
    found = (
        StaffRequest.objects.filter(partner=seat.partner, pk=_int(request_id))
        .select_related("cohort", "family", "author")
        .first()
    )
    if found is None or not policy.can_view_cohort(seat, found.cohort):
        raise _not_found()
    return found


# Families ---------------------------------------------------------------------------------------


def access_post(seat: FamilySeat, post_id) -> Post:
    post = (
        Post.objects.filter(partner=seat.family.partner_id, pk=_int(post_id))
        .select_related("family", "group")
        .first()
    )
    if post is None or not policy.family_can_see_post(seat.family, post):
        raise _not_found()
    return post


def access_family_invitation(seat: FamilySeat, invitation_id) -> FamilyInvitation:
    invitation = FamilyInvitation.objects.filter(
        partner=seat.family.partner_id, family=seat.family, pk=_int(invitation_id)
    ).first()
    if invitation is None:
        raise _not_found()
    return invitation


def access_help_exchange(seat: FamilySeat, exchange_id) -> HelpExchange:
    exchange = (
        HelpExchange.objects.filter(partner=seat.family.partner_id, pk=_int(exchange_id))
        .filter(Q(giver=seat.family) | Q(receiver=seat.family))
        .select_related("giver", "receiver")
        .first()
    )
    if exchange is None:
        raise _not_found()
    return exchange


def access_peer_family(seat: FamilySeat, family_id) -> Family:
    """Another family of the same cohort that this family may know about."""
    family = (
        Family.objects.filter(
            partner=seat.family.partner_id, cohort=seat.family.cohort_id, pk=_int(family_id)
        )
        .select_related("group")
        .first()
    )
    if family is None or not policy.family_fields_visible_to_family(seat.family, family):
        raise _not_found()
    return family


def access_group_for_family(seat: FamilySeat, group_id) -> Group:
    if seat.family.group_id is None or str(seat.family.group_id) != str(group_id):
        raise _not_found()
    return seat.family.group


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


# Staff and liaisons, from an object's id ------------------------------------------------------
# The API's URLs carry no partner: the object names it, and the caller must hold a membership
# there and be allowed to see the object's cohort. Same 404 for missing and not theirs.


def staff_seats(user) -> list[policy.Seat]:
    """The user's seats in every partner they work for (none for families and funders)."""
    if not user.is_authenticated:
        return []
    memberships = (
        Membership.objects.filter(user=user).select_related("partner").order_by("partner__name")
    )
    return [policy.Seat(user=user, partner=m.partner, role=m.role) for m in memberships]


def _staff_seat_for(user, queryset, object_id, cohort_of):
    if not user.is_authenticated:
        raise _not_found()
    found = queryset.filter(partner__memberships__user=user, pk=_int(object_id)).first()
    if found is None:
        raise _not_found()
    seat = policy.seat_for(user, found.partner)
    if seat is None or not policy.can_view_cohort(seat, cohort_of(found)):
        raise _not_found()
    return seat, found


def staff_seat_for_cohort(user, cohort_id) -> tuple[policy.Seat, Cohort]:
    """The user's seat in the cohort's partner and the cohort, if they may see it; else 404."""
    return _staff_seat_for(
        user, Cohort.objects.select_related("partner"), cohort_id, lambda cohort: cohort
    )


def staff_seat_for_family(user, family_id) -> tuple[policy.Seat, Family]:
    return _staff_seat_for(
        user,
        Family.objects.select_related("partner", "cohort", "group"),
        family_id,
        lambda family: family.cohort,
    )


def staff_seat_for_group(user, group_id) -> tuple[policy.Seat, Group]:
    return _staff_seat_for(
        user, Group.objects.select_related("partner", "cohort"), group_id, lambda g: g.cohort
    )


def staff_seat_for_post(user, post_id) -> tuple[policy.Seat, Post]:
    """A post of a cohort the user may see (whether its family shares posts with staff is
    for the caller to judge)."""
    return _staff_seat_for(
        user,
        Post.objects.select_related("partner", "cohort", "family", "group"),
        post_id,
        lambda post: post.cohort,
    )


def staff_seat_for_help_exchange(user, exchange_id) -> tuple[policy.Seat, HelpExchange]:
    return _staff_seat_for(
        user,
        HelpExchange.objects.select_related("partner", "cohort"),
        exchange_id,
        lambda exchange: exchange.cohort,
    )


# Requests to staff, for the API ---------------------------------------------------------------


def access_staff_request_for_family(seat: FamilySeat, request_id) -> StaffRequest:
    """One of the family's own requests to staff; another family's is 404 like a missing one."""
    found = (
        StaffRequest.objects.filter(
            partner=seat.family.partner_id, family=seat.family, pk=_int(request_id)
        )
        .select_related("cohort", "family", "author")
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def staff_seat_for_request(user, request_id) -> tuple[policy.Seat, StaffRequest]:
    """A request of a cohort the user may see (staff: any of the partner's; liaisons: their
    own cohorts'), with the user's seat in its partner; else 404."""
    return _staff_seat_for(
        user,
        StaffRequest.objects.select_related("partner", "cohort", "family", "author"),
        request_id,
        lambda found: found.cohort,
    )


# A family's consultancies ---------------------------------------------------------------------


def access_consultancy_for_family(seat: FamilySeat, consultancy_id) -> PeerConsultant:
    """An invitation to consult a cohort, or a consultancy, of this family; 404 for any other."""
    found = (
        PeerConsultant.objects.filter(
            partner=seat.family.partner_id, family=seat.family, pk=_int(consultancy_id)
        )
        .select_related("cohort", "invited_by")
        .first()
    )
    if found is None:
        raise _not_found()
    return found
