"""Help between families: one records it, the other confirms. Money is a decimal string in the
partner's currency."""

from __future__ import annotations

import contextlib

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from families import access, selectors, services
from families.access import FamilySeat
from families.api.common import FamilyRefSerializer, PaginatedAPIView, errors, refuse
from families.models import HelpExchange
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent

DIRECTIONS = [
    ("given", gettext_lazy("We helped them")),
    ("received", gettext_lazy("They helped us")),
]


class HelpExchangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.ChoiceField(
        choices=DIRECTIONS, help_text="Seen from the caller's family."
    )
    other_family = FamilyRefSerializer()
    kind = serializers.ChoiceField(choices=HelpExchange.Kind.choices)
    estimated_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField(help_text="ISO 4217 code of the partner's currency.")
    happened_on = serializers.DateField()
    note = serializers.CharField()
    recorded_by_us = serializers.BooleanField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    can_confirm = serializers.BooleanField(
        help_text="Whether the caller's family may confirm it (the family that did not record "
        "it, until it is confirmed)."
    )


def help_data(exchange: HelpExchange, seat: FamilySeat) -> dict:
    family = seat.family
    given = exchange.giver_id == family.pk
    other = exchange.receiver if given else exchange.giver
    body = {
        "id": exchange.pk,
        "direction": "given" if given else "received",
        "other_family": {"id": other.pk, "name": other.name},
        "kind": exchange.kind,
        "estimated_value": exchange.estimated_value,
        "currency": family.partner.currency,
        "happened_on": exchange.happened_on,
        "note": exchange.note,
        "recorded_by_us": exchange.recorded_by_family_id == family.pk,
        "confirmed_at": exchange.confirmed_at,
        "can_confirm": exchange.confirmed_at is None and exchange.other_family_id == family.pk,
    }
    return HelpExchangeSerializer(body).data


class HelpExchangeCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "HelpExchange"  # the request component is "HelpExchangeRequest"

    other_family = serializers.IntegerField(
        min_value=1, help_text="A family of your group or of the cohort's directory."
    )
    direction = serializers.ChoiceField(choices=DIRECTIONS)
    kind = serializers.ChoiceField(choices=HelpExchange.Kind.choices)
    estimated_value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        default="0.00",
        help_text='A decimal string in the partner\'s currency, e.g. "20.00".',
    )
    happened_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _family_only(user) -> FamilySeat:
    seat = access.family_seat_or_none(user)
    if seat is None:
        raise NotAllowed(_("Help between families is recorded by the families themselves."))
    return seat


class HelpExchangeListCreateView(PaginatedAPIView):
    """The help the caller's family gave and received. A family records help with another family
    of its group or of the cohort's directory; the other family may then confirm it."""

    @extend_schema(responses={200: HelpExchangeSerializer(many=True), **errors(403)})
    def get(self, request):
        seat = _family_only(request.user)
        return self.paginate(
            selectors.family_help(seat), lambda page: [help_data(e, seat) for e in page]
        )

    @extend_schema(
        request=HelpExchangeCreateSerializer,
        responses={201: HelpExchangeSerializer, **errors(400, 403)},
    )
    @idempotent
    def post(self, request):
        seat = _family_only(request.user)
        data = HelpExchangeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            other = access.access_peer_family(seat, values.pop("other_family"))
        except NotFound:
            raise InvalidInput.for_field(
                "other_family", _("Choose a family of your group or of the cohort's directory.")
            ) from None
        exchange = services.help_record(seat=seat, other_family=other, **values)
        return Response(help_data(exchange, seat), status=status.HTTP_201_CREATED)


class HelpExchangeConfirmView(APIView):
    """The family that did not record the help confirms it (403 for the family that recorded
    it, 409 when already confirmed)."""

    @extend_schema(
        request=None,
        responses={200: HelpExchangeSerializer, **errors(403, 404, 409)},
    )
    def post(self, request, exchange_id):
        seat = access.family_seat_or_none(request.user)
        exchange = None
        if seat is not None:
            with contextlib.suppress(NotFound):
                exchange = access.access_help_exchange(seat, exchange_id)
        if exchange is None:
            refuse(
                request.user,
                access.staff_seat_for_help_exchange,
                exchange_id,
                _("Help between families is confirmed by the families themselves."),
            )
        exchange = services.help_confirm(seat=seat, exchange=exchange)
        exchange = selectors.family_help(seat).get(pk=exchange.pk)
        return Response(help_data(exchange, seat))
