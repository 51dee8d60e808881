"""Funding asks and pledges. Funders see open asks once they are public (after the days for
friends first) and pledge; pledges never push an ask past its amount (409). The partner's staff
check asks before publication when the partner requires it (approve, or decline with a reason;
never edit) and record what happens to pledged money. Only the owner families create, send or
close their asks."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access as family_access
from families.api.common import PaginatedAPIView, errors
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent
from mutuality.numbers import NotANumber, to_decimal
from ventures import access, selectors, services
from ventures.api.common import (
    FundingAskSerializer,
    PledgeSerializer,
    ask_data,
    ask_detail_data,
    ask_for_reader,
    choice_param,
    is_funder,
    money_input,
    pledge_data,
)
from ventures.models import FundingAsk, Pledge, Venture

FUNDER_FILTERS = [
    OpenApiParameter(
        "country",
        {"type": "string", "pattern": "^([A-Za-z]{2})?$"},
        description="Funders: asks of partners in this country (ISO).",
    ),
    OpenApiParameter(
        "sector",
        OpenApiTypes.STR,
        enum=Venture.Sector.values,
        description="Funders: only ventures of this sector.",
    ),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        enum=FundingAsk.Kind.values,
        description="Funders: only donations, loans or investments.",
    ),
    OpenApiParameter(
        "min_amount", OpenApiTypes.DECIMAL, description="Funders: asks of at least this amount."
    ),
    OpenApiParameter(
        "max_amount", OpenApiTypes.DECIMAL, description="Funders: asks of at most this amount."
    ),
    OpenApiParameter(
        "state",
        OpenApiTypes.STR,
        enum=FundingAsk.State.values,
        description="Families and staff: only asks in this state.",
    ),
]


def _amount_param(request, name: str) -> Decimal | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        amount = to_decimal(value)
    except NotANumber:
        amount = None
    if amount is None or amount < 0:
        raise InvalidInput.for_field(name, _("Enter an amount, like 250.00."))
    return amount


def _country_param(request) -> str:
    value = request.query_params.get("country", "")
    if value and not re.fullmatch("[A-Za-z]{2}", value):
        raise InvalidInput.for_field("country", _("Use a two-letter country code, like MX."))
    return value.upper()


class FundingAskListView(PaginatedAPIView):
    """Funding asks. Funders see open asks once public, the nearest deadline first (filter with
    `?country=&sector=&kind=&min_amount=&max_amount=`); never drafts, asks waiting for the
    partner's check, or asks still in their days for friends first. A family member sees the
    asks of their own ventures and the open asks of ventures they may see; staff and liaisons
    their cohorts' asks (never drafts). Filter those with `?state=`."""

    @extend_schema(
        parameters=FUNDER_FILTERS,
        responses={200: FundingAskSerializer(many=True), **errors(400, 403)},
    )
    def get(self, request):
        # Every filter is checked, whoever asks: a bad one is a 400 even where it is not used.
        state = choice_param(request, "state", FundingAsk.State)
        funder_filters = {
            "country": _country_param(request),
            "sector": choice_param(request, "sector", Venture.Sector) or "",
            "kind": choice_param(request, "kind", FundingAsk.Kind) or "",
            "min_amount": _amount_param(request, "min_amount"),
            "max_amount": _amount_param(request, "max_amount"),
        }
        family = family_access.family_seat_or_none(request.user)
        if family is not None:
            asks = selectors.asks_for_family(family, state=state)
            return self.paginate(asks, lambda page: [ask_data(ask) for ask in page])
        seats = family_access.staff_seats(request.user)
        if seats:
            asks = selectors.asks_for_staff_seats(seats, state=state)
            return self.paginate(asks, lambda page: [ask_data(ask) for ask in page])
        if not is_funder(request.user):
            raise NotAllowed(_("Funders, families and their partner's staff see funding asks."))
        asks = selectors.open_asks_for_funders(**funder_filters)
        return self.paginate(asks, lambda page: [ask_data(ask) for ask in page])


class FundingAskDetailView(APIView):
    """One funding ask with its progress, for whom may read it: its owners; families who may
    see its venture (once published); staff and liaisons of its cohort; funders once it is
    public (or if they pledged to it). Else 404."""

    @extend_schema(responses={200: FundingAskSerializer, **errors(404)})
    def get(self, request, ask_id):
        reader = ask_for_reader(request.user, ask_id)
        ask = selectors.venture_asks(reader.ask.venture).select_related("venture__partner")
        ask = ask.get(pk=reader.ask.pk)
        return Response(ask_detail_data(ask, show_review=reader.owner or bool(reader.staff)))


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Required to decline: the family reads it, changes its ask and sends it again.",
    )


class AskReviewView(APIView):
    """The partner's check before publication: approve the ask as the family wrote it, or
    decline it with a reason. A compliance check only: nothing here edits the ask. Partner
    staff and admins (liaisons: 403); 409 unless the ask waits for the check."""

    @extend_schema(
        request=ReviewInputSerializer,
        responses={200: FundingAskSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, ask_id):
        reader = ask_for_reader(request.user, ask_id)
        if reader.staff is None:
            raise NotAllowed(_("Only the partner's staff check funding asks."))
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ask = services.ask_review(seat=reader.staff, ask=reader.ask, **data.validated_data)
        return Response(_fresh_detail(ask, show_review=True))


def _fresh_detail(ask: FundingAsk, *, show_review: bool) -> dict:
    venture = Venture.objects.select_related("partner").get(pk=ask.venture_id)
    ask = selectors.venture_asks(venture).select_related("venture__partner").get(pk=ask.pk)
    return ask_detail_data(ask, show_review=show_review)


class PledgeInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Pledge"

    amount = money_input()


class AskPledgesView(PaginatedAPIView):
    """Pledges toward an ask. A funder pledges `{"amount"}` toward a public ask; a pledge that
    would push the ask past its amount is 409, saying how much is still needed. Its owners and
    staff list its pledges; a funder lists their own. Others who may read the ask get 403."""

    @extend_schema(responses={200: PledgeSerializer(many=True), **errors(403, 404)})
    def get(self, request, ask_id):
        reader = ask_for_reader(request.user, ask_id)
        pledges = selectors.staff_ask_pledges(reader.ask)
        if reader.funder:
            pledges = pledges.filter(funder__user=request.user)
        elif not (reader.owner or reader.staff):
            raise NotAllowed(_("Only the venture's owners and the partner's staff see pledges."))
        return self.paginate(pledges, lambda page: [pledge_data(p) for p in page])

    @extend_schema(
        request=PledgeInputSerializer,
        responses={201: PledgeSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, ask_id):
        if not is_funder(request.user):
            ask_for_reader(request.user, ask_id)  # 404 unless they may read it
            raise NotAllowed(_("Only funders pledge."))
        ask = access.access_ask_for_funder(request.user, ask_id)
        data = PledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pledge = services.pledge_create(
            user=request.user, ask=ask, amount=data.validated_data["amount"]
        )
        pledge = selectors.ask_pledges(ask).get(pk=pledge.pk)
        return Response(pledge_data(pledge), status=status.HTTP_201_CREATED)


class AskSubmitView(APIView):
    """Its owners send an ask: to the partner's check when the partner has one, else it opens
    (its group and cohort see it first, then funders). 409 unless a draft or declined."""

    @extend_schema(request=None, responses={200: FundingAskSerializer, **errors(403, 404, 409)})
    def post(self, request, ask_id):
        reader = ask_for_reader(request.user, ask_id)
        if not reader.owner:
            raise NotAllowed(_("Only the venture's owner families send its asks."))
        ask = services.ask_submit(seat=reader.family, ask=reader.ask)
        return Response(_fresh_detail(ask, show_review=True))


class AskCloseView(APIView):
    """Its owners close an ask: no more pledges. 409 if it already is closed or expired."""

    @extend_schema(request=None, responses={200: FundingAskSerializer, **errors(403, 404, 409)})
    def post(self, request, ask_id):
        reader = ask_for_reader(request.user, ask_id)
        if not reader.owner:
            raise NotAllowed(_("Only the venture's owner families close its asks."))
        ask = services.ask_close(seat=reader.family, ask=reader.ask)
        return Response(_fresh_detail(ask, show_review=True))


class PledgeStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (Pledge.Status.RECEIVED.value, Pledge.Status.RECEIVED.label),
            (Pledge.Status.FULFILLED.value, Pledge.Status.FULFILLED.label),
            (Pledge.Status.FELL_THROUGH.value, Pledge.Status.FELL_THROUGH.label),
        ],
        help_text="received: the partner has the money; fulfilled: passed to the family (after "
        "received); fell_through: it will not come (the ask opens again for the missing part).",
    )


class PledgeStatusView(APIView):
    """Partner staff and admins record what happened to a pledge's money (liaisons: 403); 409
    for a step out of order (e.g. fulfilled before received, or anything after fell_through)."""

    @extend_schema(
        request=PledgeStatusInputSerializer,
        responses={200: PledgeSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, pledge_id):
        try:
            seat, pledge = access.staff_seat_for_pledge(request.user, pledge_id)
        except NotFound:
            _refuse_pledge(request.user, pledge_id)
        data = PledgeStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pledge = services.pledge_mark(
            seat=seat, pledge=pledge, status=data.validated_data["status"]
        )
        pledge = Pledge.objects.select_related("funder__user").get(pk=pledge.pk)
        return Response(pledge_data(pledge))


def _refuse_pledge(user, pledge_id):
    """The funder who made a pledge, and the owners of its ask, know it: 403. Others: 404."""
    try:
        pledge = Pledge.objects.filter(pk=int(pledge_id)).select_related("ask__venture").first()
    except (TypeError, ValueError):
        pledge = None
    if pledge is not None:
        family = family_access.family_seat_or_none(user)
        if pledge.funder.user_id == user.pk or (
            family is not None and policy.family_owns_venture(family.family, pledge.ask.venture)
        ):
            raise NotAllowed(_("The partner's staff record what happened to pledged money."))
    raise NotFound(_("Not found."))
