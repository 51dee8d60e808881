"""Shared pieces of the families API: who is asking, families as cards, pagination.

The API's URLs carry no partner. Staff and liaisons are resolved from the object (the cohort,
family, group, post or help exchange names its partner, and the caller needs a membership there);
families act through their own household (`families.access.family_seat`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ErrorSerializer
from families import access
from families.access import FamilySeat
from families.models import HouseholdMember
from families.selectors import FamilyCard
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.pagination import StandardPagination


def errors(*codes: int) -> dict:
    """Error responses for `extend_schema`, all in the contract's shape."""
    return {code: ErrorSerializer for code in codes}


class PaginatedAPIView(APIView):
    """An APIView whose GET answers `{"count", "next", "previous", "results"}`."""

    pagination_class = StandardPagination

    def paginate(self, queryset, render) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(render(page))


def int_param(request, name: str) -> int:
    """A query parameter that must be an id; a 400 naming it otherwise."""
    try:
        value = int(request.query_params[name])
    except (TypeError, ValueError):
        raise InvalidInput.for_field(name, _("Give a number.")) from None
    if value < 1:
        raise InvalidInput.for_field(name, _("Give a number."))
    return value


def refuse(user, staff_lookup, object_id, message: str):
    """Staff and liaisons who may see the object know it exists: 403 with `message`. Anyone
    else: 404, as for a missing object."""
    try:
        staff_lookup(user, object_id)
    except NotFound:
        raise NotFound(_("Not found.")) from None
    raise NotAllowed(message)


def own_family(user, family_id) -> FamilySeat:
    """The caller acting for family `family_id`, which must be their own household. Staff who
    may see that family get 403 (they do not act for families); anyone else 404."""
    seat = access.family_seat_or_none(user)
    if seat is not None and str(seat.family.pk) == str(family_id):
        return seat
    refuse(
        user,
        access.staff_seat_for_family,
        family_id,
        _("Only the family's own members can do this."),
    )


# Families as one viewer may see them ------------------------------------------------------------


class FamilyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HouseholdMemberSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    relationship = serializers.ChoiceField(choices=HouseholdMember.Relationship.choices)


class FamilyCardSerializer(serializers.Serializer):
    """A family as the caller may see it: what the family did not share with the caller is
    null (household size and members, contact, what they offer and look for)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    is_seed = serializers.BooleanField()
    generation = serializers.IntegerField(
        help_text="0 for seed families enrolled by staff, 1 for their friends, and so on."
    )
    group = serializers.IntegerField(source="group_id", allow_null=True)
    invited_by = serializers.IntegerField(source="invited_by_id", allow_null=True)
    household_size = serializers.IntegerField(allow_null=True)
    members = HouseholdMemberSerializer(many=True, allow_null=True)
    contact_email = serializers.CharField(allow_null=True)
    contact_phone = serializers.CharField(allow_null=True)
    offers = serializers.CharField(allow_null=True)
    looking_for = serializers.CharField(allow_null=True)


def card_data(card: FamilyCard) -> dict:
    return FamilyCardSerializer(card).data


class MemberInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    relationship = serializers.ChoiceField(
        choices=HouseholdMember.Relationship.choices,
        default=HouseholdMember.Relationship.OTHER,
    )
