"""Stipends: what families earn for their verified surveys. A family sees its own; staff who
manage payments see their partners'."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from families import access as family_access
from families.api.common import FamilyRefSerializer, PaginatedAPIView, errors
from mutuality.errors import NotAllowed
from surveys import selectors
from surveys.api.common import choice_param
from surveys.models import Stipend


class SurveyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField(help_text="The survey's month, YYYY-MM.")


class StipendSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = FamilyRefSerializer()
    survey = SurveyRefSerializer(help_text="The verified survey that earned it.")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="A decimal string, in `currency`."
    )
    currency = serializers.CharField(help_text="The partner's ISO 4217 currency code.")
    status = serializers.ChoiceField(choices=Stipend.Status.choices)
    batch = serializers.IntegerField(
        allow_null=True, help_text="The payment batch it is in, if any."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def stipend_data(stipend: Stipend) -> dict:
    """`stipend` with its family and survey loaded."""
    return StipendSerializer(
        {
            "id": stipend.pk,
            "family": {"id": stipend.family_id, "name": stipend.family.name},
            "survey": {"id": stipend.survey_id, "period": stipend.survey.month},
            "amount": stipend.amount,
            "currency": stipend.currency,
            "status": stipend.status,
            "batch": stipend.batch_id,
            "created_at": stipend.created_at,
            "updated_at": stipend.updated_at,
        }
    ).data


class StipendListView(PaginatedAPIView):
    """Stipends, the newest first. A family member sees their own family's; partner staff and
    admins see every stipend of the partners they work for. Filter with `?status=`. Liaisons do
    not handle payments (403)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=Stipend.Status.values,
                description="Only stipends with this status.",
            )
        ],
        responses={200: StipendSerializer(many=True), **errors(400, 403)},
    )
    def get(self, request):
        status = choice_param(request, "status", Stipend.Status)
        seats = family_access.staff_seats(request.user)
        if any(seat.can("payments.manage") for seat in seats):
            stipends = selectors.stipends_for_seats(seats, status=status)
        else:
            family = family_access.family_seat_or_none(request.user)
            if family is None and seats:
                raise NotAllowed(_("Your role does not allow this."))
            if family is None:
                raise NotAllowed(_("Only families and their partner's staff see stipends."))
            stipends = selectors.family_stipends(family.family).select_related("family")
            if status:
                stipends = stipends.filter(status=status)
            stipends = stipends.order_by("-created_at", "-pk")
        return self.paginate(stipends, lambda page: [stipend_data(s) for s in page])
