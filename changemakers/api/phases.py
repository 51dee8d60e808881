"""A cohort's phase: readiness for phase II, and moving the cohort between phases I and II."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from changemakers import selectors, services
from changemakers.api.common import PersonRefSerializer, cohort_for_staff, person
from changemakers.models import PhaseChange
from families.api.common import errors
from families.models import Cohort
from mutuality.idempotency import idempotent


class ReadinessMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    families = serializers.IntegerField(help_text="Families in the cohort.")
    families_reporting_practices = serializers.IntegerField(
        help_text="Families that reported at least one practice that month."
    )
    practice_share = serializers.FloatField(help_text="Their share of the cohort, 0 to 1.")
    help_exchanges = serializers.IntegerField(help_text="Help between families recorded.")
    help_across_groups = serializers.IntegerField(help_text="Of which across groups.")
    posts = serializers.IntegerField(help_text="Families' own posts in their feeds.")
    requests_to_staff = serializers.IntegerField(
        help_text="Requests families sent to staff: fewer over time is the good direction."
    )


class ReadinessSerializer(serializers.Serializer):
    months = ReadinessMonthSerializer(many=True, help_text="The last three months, oldest first.")
    trend = serializers.DictField(
        child=serializers.ChoiceField(choices=["up", "down", "steady"]),
        help_text="Which way each signal went from the first of those months to the last (up, "
        "down or steady), keyed practice_share, help_exchanges, help_across_groups, posts and "
        "requests_to_staff.",
    )


class PhaseChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_phase = serializers.IntegerField()
    to_phase = serializers.IntegerField()
    override = serializers.BooleanField(
        help_text="Moved to phase II before the partner's minimum months."
    )
    reason = serializers.CharField(allow_blank=True)
    changed_at = serializers.DateTimeField()
    changed_by = PersonRefSerializer(allow_null=True)


class PhaseHistoryEntrySerializer(PhaseChangeSerializer):
    readiness = ReadinessSerializer(help_text="The figures staff saw when they made the change.")


def change_data(change: PhaseChange, *, with_readiness: bool = False) -> dict:
    body = {
        "id": change.pk,
        "from_phase": change.from_phase,
        "to_phase": change.to_phase,
        "override": change.is_override,
        "reason": change.reason,
        "changed_at": change.created_at,
        "changed_by": person(change.changed_by),
    }
    if with_readiness:
        body["readiness"] = change.readiness
    return body


class PhaseChangeRequestSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Cohort.Phase.choices, help_text="1 or 2.")
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="To phase II before the partner's minimum months: why the cohort is ready "
        "early (recorded as an early move). Without it such a move is 409.",
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Back to phase I: why (required); to phase II: an optional note.",
    )


class PhaseChangeResultSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    phase = serializers.ChoiceField(choices=Cohort.Phase.choices, help_text="Now.")
    change = PhaseChangeSerializer()
    readiness = ReadinessSerializer(help_text="The figures recorded with the change.")


class CohortPhaseView(APIView):
    """Move a cohort to phase II (`{"phase": 2}`) or back to phase I (`{"phase": 1,
    "reason": "..."}`; without a reason 400 naming `reason`). Staff and admins only: liaisons
    get 403, another partner's people 404.

    Before the partner's minimum months (`months_before_phase_two`), a move to phase II is 409
    unless `override_reason` says why the cohort is ready early; it is then recorded as an
    override. A move to the phase the cohort is already in is 409. Nothing is written when
    the move is refused."""

    @extend_schema(
        request=PhaseChangeRequestSerializer,
        responses={200: PhaseChangeResultSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, cohort_id):
        seat, cohort = cohort_for_staff(request.user, cohort_id)
        policy.require(seat, "cohort.change_phase")
        data = PhaseChangeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        change = services.cohort_change_phase(
            seat=seat,
            cohort=cohort,
            phase=values["phase"],
            reason=values["reason"],
            override_reason=values["override_reason"],
        )
        body = {
            "cohort": cohort.pk,
            "phase": change.to_phase,
            "change": change_data(change),
            "readiness": change.readiness,
        }
        return Response(PhaseChangeResultSerializer(body).data)


class CohortReadinessSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    phase = serializers.ChoiceField(choices=Cohort.Phase.choices)
    months_since_start = serializers.IntegerField()
    minimum_months = serializers.IntegerField(
        help_text="The partner's months before phase II may start without an override."
    )
    early = serializers.BooleanField(
        help_text="Whether a move to phase II now would be early (it needs `override_reason`)."
    )
    readiness = ReadinessSerializer(
        help_text="Signals that families act on their own initiative, over the last 3 months."
    )
    history = PhaseHistoryEntrySerializer(many=True, help_text="Phase changes, newest first.")


class CohortReadinessView(APIView):
    """Whether a cohort looks ready for phase II: the last three months of signals with their
    trend, the months since it started against the partner's minimum, and every phase change
    so far. For the partner's staff and the cohort's liaisons; its families get 403, anyone
    else 404."""

    @extend_schema(responses={200: CohortReadinessSerializer, **errors(403, 404)})
    def get(self, request, cohort_id):
        seat, cohort = cohort_for_staff(request.user, cohort_id)
        policy.require(seat, "partner.view")
        months = selectors.months_since_start(cohort)
        minimum = cohort.partner.months_before_phase_two
        body = {
            "cohort": cohort.pk,
            "phase": cohort.phase,
            "months_since_start": months,
            "minimum_months": minimum,
            "early": months < minimum,
            "readiness": selectors.readiness(cohort),
            "history": [
                change_data(change, with_readiness=True)
                for change in selectors.phase_history(cohort)
            ],
        }
        return Response(CohortReadinessSerializer(body).data)
