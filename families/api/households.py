"""Families (households): the list, enrolling a seed family, one family, and its consent."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access, selectors, services
from families.api.common import (
    FamilyCardSerializer,
    MemberInputSerializer,
    PaginatedAPIView,
    card_data,
    errors,
    int_param,
    own_family,
)
from families.models import Family
from families.services import HouseholdInput, MemberInput
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent

COHORT_PARAMETER = OpenApiParameter(
    "cohort",
    OpenApiTypes.INT,
    description="Staff and liaisons: only this cohort's families.",
)


class FamilyEnrollSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    household_size = serializers.IntegerField(min_value=1, max_value=50)
    is_seed = serializers.BooleanField(
        default=True, help_text="Must be true: friend families join by invitation."
    )
    members = MemberInputSerializer(many=True, required=False, default=list)
    culture = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    religion = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_is_seed(self, value):
        if not value:
            raise serializers.ValidationError(
                _("Staff enroll seed families; friend families join by invitation.")
            )
        return value

    def validate(self, attrs):
        if not (attrs["contact_email"].strip() or attrs["contact_phone"].strip()):
            raise serializers.ValidationError(
                {"contact_email": [_("Give an email or a phone number.")]}
            )
        return attrs


def _staff_card(seat: policy.Seat, family: Family) -> dict:
    return card_data(
        selectors.family_card(family, policy.family_fields_visible_to_staff(seat, family))
    )


class FamilyListCreateView(PaginatedAPIView):
    """Families. Staff and liaisons see the families of the cohorts they may see (filter with
    `?cohort=`), with the household's members only when the family shares them with staff.
    A family member sees their own family, their group and the families listed in the cohort's
    directory, each with what its consent allows. Staff and admins enroll seed families; friend
    families join by invitation."""

    @extend_schema(
        parameters=[COHORT_PARAMETER],
        responses={200: FamilyCardSerializer(many=True), **errors(400, 403, 404)},
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
            families = selectors.families_for_seats(seats, cohort=cohort)
            return self.paginate(
                families, lambda page: [_staff_card(by_partner[f.partner_id], f) for f in page]
            )
        seat = access.family_seat_or_none(request.user)
        if seat is None:
            raise NotAllowed(_("Only partner staff, liaisons and families see families."))
        viewer = seat.family
        return self.paginate(
            selectors.family_peers(seat),
            lambda page: [
                card_data(
                    selectors.family_card(f, policy.family_fields_visible_to_family(viewer, f))
                )
                for f in page
            ],
        )

    @extend_schema(
        request=FamilyEnrollSerializer,
        responses={201: FamilyCardSerializer, **errors(400, 403, 409)},
    )
    @idempotent
    def post(self, request):
        if not any(seat.can("family.enroll") for seat in access.staff_seats(request.user)):
            raise NotAllowed(_("Your role does not allow this."))
        data = FamilyEnrollSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            seat, cohort = access.staff_seat_for_cohort(request.user, values["cohort"])
        except NotFound:
            raise InvalidInput.for_field("cohort", _("Choose one of your cohorts.")) from None
        household = HouseholdInput(
            name=values["name"],
            household_size=values["household_size"],
            contact_email=values["contact_email"],
            contact_phone=values["contact_phone"],
            members=[MemberInput(**member) for member in values["members"]],
            culture=values["culture"],
            religion=values["religion"],
            language=values["language"],
        )
        family = services.family_enroll_seed(seat=seat, cohort=cohort, data=household)
        return Response(_staff_card(seat, family), status=status.HTTP_201_CREATED)


class FamilyDetailView(APIView):
    """One family, as the caller may see it: a family member sees their own family in full and
    their peers as their consent allows; staff and liaisons see the families of their cohorts."""

    @extend_schema(responses={200: FamilyCardSerializer, **errors(404)})
    def get(self, request, family_id):
        seat = access.family_seat_or_none(request.user)
        if seat is not None:
            try:
                family = access.access_peer_family(seat, family_id)
            except NotFound:
                pass
            else:
                fields = policy.family_fields_visible_to_family(seat.family, family)
                return Response(card_data(selectors.family_card(family, fields)))
        staff_seat, family = access.staff_seat_for_family(request.user, family_id)
        return Response(_staff_card(staff_seat, family))


class FamilyConsentSerializer(serializers.Serializer):
    show_household_to_group = serializers.BooleanField(
        help_text="My group may see who lives in our household."
    )
    show_contact_to_group = serializers.BooleanField(
        help_text="My group may see our email and phone."
    )
    in_cohort_directory = serializers.BooleanField(
        help_text="List us in the cohort's peer directory."
    )
    show_contact_to_cohort = serializers.BooleanField(
        help_text="Families of the cohort may see our email and phone."
    )
    show_household_to_staff = serializers.BooleanField(
        help_text="Partner staff may see who lives in our household."
    )
    share_posts_with_staff = serializers.BooleanField(help_text="Partner staff may read our posts.")
    offers = serializers.CharField(max_length=300, allow_blank=True)
    looking_for = serializers.CharField(max_length=300, allow_blank=True)


class FamilyConsentView(APIView):
    """What the family lets its group, its cohort and the partner's staff see. Only the
    family's own members read and change it (staff who know the family get 403)."""

    @extend_schema(responses={200: FamilyConsentSerializer, **errors(403, 404)})
    def get(self, request, family_id):
        seat = own_family(request.user, family_id)
        return Response(FamilyConsentSerializer(seat.family).data)

    @extend_schema(
        request=FamilyConsentSerializer,
        responses={200: FamilyConsentSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, family_id):
        seat = own_family(request.user, family_id)
        data = FamilyConsentSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        family = services.family_update_consent(seat=seat, **data.validated_data)
        return Response(FamilyConsentSerializer(family).data)
