"""Groups: a seed family and the friends it invited."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access, selectors
from families.api.common import (
    FamilyCardSerializer,
    PaginatedAPIView,
    errors,
    int_param,
)
from families.models import Group
from mutuality.errors import NotAllowed


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    cohort = serializers.IntegerField()
    seed_family = serializers.IntegerField(allow_null=True, help_text="The seed family's id.")
    households = serializers.IntegerField()
    members = FamilyCardSerializer(
        many=True, help_text="The group's families, seed first, as the caller may see them."
    )


def group_data(group: Group, fields_for) -> dict:
    """`group` comes from `selectors.with_families`; `fields_for(family)` is the consent rule."""
    families = list(group.families.all())
    seed = next((f for f in families if f.is_seed), None)
    body = {
        "id": group.pk,
        "name": group.name,
        "cohort": group.cohort_id,
        "seed_family": seed.pk if seed else None,
        "households": len(families),
        "members": [selectors.family_card(f, fields_for(f)) for f in families],
    }
    return GroupSerializer(body).data


def _for_family(seat):
    return lambda family: policy.family_fields_visible_to_family(seat.family, family)


def _for_staff(seat):
    return lambda family: policy.family_fields_visible_to_staff(seat, family)


class GroupListView(PaginatedAPIView):
    """Groups: a family member sees their own group; liaisons the groups of their cohorts;
    staff and admins all of their partners' groups (filter with `?cohort=`). Members are shown
    as each family's consent allows."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cohort", OpenApiTypes.INT, description="Staff and liaisons: one cohort's groups."
            )
        ],
        responses={200: GroupSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        seats = access.staff_seats(request.user)
        if seats:
            cohort = None
            if "cohort" in request.query_params:
                _seat, cohort = access.staff_seat_for_cohort(
                    request.user, int_param(request, "cohort")
                )
            by_partner = {seat.partner.pk: seat for seat in seats}
            return self.paginate(
                selectors.groups_for_seats(seats, cohort=cohort),
                lambda page: [
                    group_data(group, _for_staff(by_partner[group.partner_id])) for group in page
                ],
            )
        seat = access.family_seat_or_none(request.user)
        if seat is None:
            raise NotAllowed(_("Only partner staff, liaisons and families see groups."))
        return self.paginate(
            selectors.family_group(seat),
            lambda page: [group_data(group, _for_family(seat)) for group in page],
        )


class GroupDetailView(APIView):
    """One group: for its own families, and for the staff and liaisons of its cohort."""

    @extend_schema(responses={200: GroupSerializer, **errors(404)})
    def get(self, request, group_id):
        seat = access.family_seat_or_none(request.user)
        if seat is not None and seat.family.group_id == group_id:
            group = selectors.family_group(seat).get()
            return Response(group_data(group, _for_family(seat)))
        staff_seat, group = access.staff_seat_for_group(request.user, group_id)
        group = selectors.with_families(
            Group.objects.filter(partner=group.partner_id, pk=group.pk)
        ).get()
        return Response(group_data(group, _for_staff(staff_seat)))
