"""Cohorts: the list, a new one, one cohort, its edits, and its network."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access, selectors, services
from families.api.common import PaginatedAPIView, errors
from families.models import Cohort
from families.network import cohort_network
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent


class ReachSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    people = serializers.IntegerField()


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.CharField(help_text="The partner's slug.")
    name = serializers.CharField()
    region = serializers.CharField()
    started_on = serializers.DateField()
    phase = serializers.ChoiceField(choices=Cohort.Phase.choices, help_text="1 or 2.")
    seed_limit = serializers.IntegerField()
    seeds = serializers.IntegerField(help_text="Seed families enrolled.")
    reach = ReachSerializer()
    liaisons = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="User ids of the assigned liaisons: for staff and liaisons, never for families.",
    )


def cohort_data(cohort: Cohort, *, for_staff: bool) -> dict:
    """`cohort` comes from `selectors.with_reach` (partner, liaisons and counts loaded)."""
    body = {
        "id": cohort.pk,
        "partner": cohort.partner.slug,
        "name": cohort.name,
        "region": cohort.region,
        "started_on": cohort.started_on,
        "phase": cohort.phase,
        "seed_limit": cohort.seed_limit,
        "seeds": cohort.seed_count,
        "reach": {"households": cohort.family_count, "people": cohort.people_count or 0},
    }
    if for_staff:
        body["liaisons"] = [user.pk for user in cohort.liaisons.all()]
    return CohortSerializer(body).data


class CohortCreateSerializer(serializers.Serializer):
    partner = serializers.SlugField(
        required=False, help_text="The partner's slug; optional for people who work for one."
    )
    name = serializers.CharField(max_length=200)
    region = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    started_on = serializers.DateField()
    liaisons = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    seed_limit = serializers.IntegerField(min_value=1, max_value=100, required=False)


class CohortUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    region = serializers.CharField(max_length=200, allow_blank=True)
    started_on = serializers.DateField()
    liaisons = serializers.ListField(child=serializers.IntegerField(min_value=1))
    seed_limit = serializers.IntegerField(min_value=1, max_value=100)


def _seat_named(seats: list[policy.Seat], slug: str | None) -> policy.Seat:
    if slug:
        for seat in seats:
            if seat.partner.slug == slug:
                return seat
        raise InvalidInput.for_field("partner", _("Choose a partner you work for."))
    if len(seats) == 1:
        return seats[0]
    raise InvalidInput.for_field("partner", _("You work for several partners: say which one."))


def _cohort_for_staff(user, cohort_id) -> tuple[policy.Seat, Cohort]:
    """Staff and liaisons who may see the cohort; its families get 403, anyone else 404."""
    try:
        return access.staff_seat_for_cohort(user, cohort_id)
    except NotFound:
        family = access.family_seat_or_none(user)
        if family is not None and family.family.cohort_id == cohort_id:
            raise NotAllowed(_("Your role does not allow this.")) from None
        raise


class CohortListCreateView(PaginatedAPIView):
    """Cohorts: staff and admins see their partners' cohorts, liaisons the cohorts assigned to
    them, a family member their own cohort (without its liaisons). Staff and admins start new
    cohorts."""

    @extend_schema(responses={200: CohortSerializer(many=True), **errors(403)})
    def get(self, request):
        seats = access.staff_seats(request.user)
        if seats:
            cohorts = selectors.cohorts_for_seats(seats)
            return self.paginate(
                cohorts, lambda page: [cohort_data(c, for_staff=True) for c in page]
            )
        seat = access.family_seat_or_none(request.user)
        if seat is None:
            raise NotAllowed(_("Only partner staff, liaisons and families see cohorts."))
        cohorts = selectors.with_reach(
            Cohort.objects.filter(partner=seat.family.partner_id, pk=seat.family.cohort_id)
        ).order_by("pk")
        return self.paginate(cohorts, lambda page: [cohort_data(c, for_staff=False) for c in page])

    @extend_schema(
        request=CohortCreateSerializer,
        responses={201: CohortSerializer, **errors(400, 403, 409)},
    )
    @idempotent
    def post(self, request):
        seats = access.staff_seats(request.user)
        if not any(seat.can("cohort.manage") for seat in seats):
            raise NotAllowed(_("Your role does not allow this."))
        data = CohortCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cohort = services.cohort_create(
            seat=_seat_named(seats, values.get("partner")),
            name=values["name"],
            region=values["region"],
            started_on=values["started_on"],
            liaison_ids=values["liaisons"],
            seed_limit=values.get("seed_limit"),
        )
        return Response(
            cohort_data(selectors.cohort_with_reach(cohort), for_staff=True),
            status=status.HTTP_201_CREATED,
        )


class CohortDetailView(APIView):
    """One cohort, with its phase, seed families and reach. Its families see it without its
    liaisons; staff and admins edit it."""

    @extend_schema(responses={200: CohortSerializer, **errors(404)})
    def get(self, request, cohort_id):
        try:
            _seat, cohort = access.staff_seat_for_cohort(request.user, cohort_id)
            for_staff = True
        except NotFound:
            family = access.family_seat_or_none(request.user)
            if family is None or family.family.cohort_id != cohort_id:
                raise
            cohort, for_staff = family.family.cohort, False
        return Response(cohort_data(selectors.cohort_with_reach(cohort), for_staff=for_staff))

    @extend_schema(
        request=CohortUpdateSerializer,
        responses={200: CohortSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request, cohort_id):
        seat, cohort = _cohort_for_staff(request.user, cohort_id)
        policy.require(seat, "cohort.manage")
        data = CohortUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        liaison_ids = changes.pop("liaisons", None)
        cohort = services.cohort_update(
            seat=seat, cohort=cohort, liaison_ids=liaison_ids, **changes
        )
        return Response(cohort_data(selectors.cohort_with_reach(cohort), for_staff=True))


class TiesByKindSerializer(serializers.Serializer):
    bonding = serializers.IntegerField()
    bridging = serializers.IntegerField()


class CohortNetworkSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    families = serializers.IntegerField()
    groups = serializers.IntegerField()
    ungrouped = serializers.IntegerField(help_text="Families without a group.")
    ties_by_kind = TiesByKindSerializer(
        help_text="Pairs of families tied by bonding (same group) and bridging (across groups)."
    )
    bridging_share = serializers.FloatField(
        help_text="Share of the families with at least one bridging tie, from 0 to 1."
    )
    ei_index = serializers.FloatField(
        allow_null=True,
        help_text="Krackhardt's E-I index over tied pairs, from -1 (all inside groups) to 1 "
        "(all across groups); null without ties.",
    )
    largest_component = serializers.IntegerField(
        help_text="Families in the largest connected part of the network."
    )


class CohortNetworkView(APIView):
    """The cohort's network metrics, for its staff and liaisons (the picture is on the cohort's
    page, not in the API)."""

    @extend_schema(responses={200: CohortNetworkSerializer, **errors(403, 404)})
    def get(self, request, cohort_id):
        _seat, cohort = _cohort_for_staff(request.user, cohort_id)
        network = cohort_network(cohort)
        body = {
            "cohort": cohort.pk,
            "families": network.families,
            "groups": network.groups,
            "ungrouped": network.ungrouped,
            "ties_by_kind": network.ties_by_kind,
            "bridging_share": network.bridging_share,
            "ei_index": network.ei_index,
            "largest_component": network.largest_component,
        }
        return Response(CohortNetworkSerializer(body).data)
