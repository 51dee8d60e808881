"""Everyday Changemaker candidates for partner staff: what the monthly job surfaced, with the
score and the reasons behind it (each also as a sentence in the caller's language).

Staff and admins see the candidates of every partner they work for (`?partner=` narrows to
one); liaisons, families and funders are refused (403). Candidates never mix partners: each
belongs to one, named by `partner`."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from changemakers.models import Candidate
from changemakers.selectors import candidates as selectors
from families import access
from families.api.common import PaginatedAPIView, errors, int_param
from mutuality.errors import InvalidInput, NotAllowed
from surveys.services.responses import MONTH


class CohortRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The family's, group's or venture's id (see `kind`).")
    name = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="A stable code, e.g. income_up, help_across_groups, practice_followed, "
        "stories, group_venture, group_improved, collective, funding_received."
    )
    points = serializers.IntegerField(help_text="What this reason adds to the score.")
    values = serializers.DictField(
        help_text="The figures behind the reason: strings and integers (a followed practice "
        "also has its names per language)."
    )
    text = serializers.CharField(help_text="The reason as a sentence, in the caller's language.")


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.CharField(help_text="The slug of the partner it belongs to.")
    cohort = CohortRefSerializer()
    month = serializers.CharField(help_text="The month scored, YYYY-MM.")
    kind = serializers.ChoiceField(choices=Candidate.Kind.choices)
    subject = SubjectRefSerializer()
    score = serializers.IntegerField(help_text="The sum of the reasons' points.")
    reasons = ReasonSerializer(many=True)
    state = serializers.ChoiceField(
        choices=Candidate.State.choices,
        help_text="surfaced: waiting for staff; dismissed; nominated.",
    )


def candidate_data(candidate: Candidate) -> dict:
    subject = selectors.subject_of(candidate)
    texts = selectors.reason_texts(candidate.reasons)
    return CandidateSerializer(
        {
            "id": candidate.pk,
            "partner": candidate.partner.slug,
            "cohort": {"id": candidate.cohort_id, "name": candidate.cohort.name},
            "month": candidate.period.strftime("%Y-%m"),
            "kind": candidate.kind,
            "subject": {
                "id": subject.pk if subject is not None else 0,
                "name": selectors.subject_name(candidate),
            },
            "score": candidate.score,
            "reasons": [
                {
                    "code": reason.get("code", ""),
                    "points": reason.get("points", 0),
                    "values": reason.get("values") or {},
                    "text": text,
                }
                for reason, text in zip(candidate.reasons, texts, strict=True)
            ],
            "state": candidate.state,
        }
    ).data


STATES = [*Candidate.State.values, selectors.ANY_STATE]

PARAMETERS = [
    OpenApiParameter(
        "partner", OpenApiTypes.STR, description="Only this partner's (its slug; one of yours)."
    ),
    OpenApiParameter(
        "state",
        OpenApiTypes.STR,
        enum=STATES,
        description="surfaced (the default: waiting for staff), dismissed, nominated, or all.",
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Candidate.Kind.values),
    OpenApiParameter(
        "month",
        {"type": "string", "pattern": r"^([0-9]{4}-(0[1-9]|1[0-2]))?$"},
        description="Only this month, YYYY-MM.",
    ),
    OpenApiParameter("cohort", OpenApiTypes.INT, description="Only this cohort's."),
]


def _month(value: str) -> datetime.date:
    match = MONTH.fullmatch(value) if value.isascii() else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput.for_field("month", _("Give the month as YYYY-MM, like 2026-10."))
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class CandidateListView(PaginatedAPIView):
    """The candidates of the partners the caller reviews for (staff and admins), newest month
    first, then by score. Liaisons, families and funders: 403."""

    @extend_schema(
        parameters=PARAMETERS,
        responses={200: CandidateSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request):
        seats = [
            seat for seat in access.staff_seats(request.user) if seat.can("changemakers.review")
        ]
        if not seats:
            raise NotAllowed(_("This is for the partner's staff."))
        params = request.query_params
        slug = params.get("partner", "").strip()
        if slug:
            seats = [seat for seat in seats if seat.partner.slug == slug]
            if not seats:
                raise InvalidInput.for_field("partner", _("Choose one of your partners."))
        state = params.get("state", "").strip() or Candidate.State.SURFACED
        if state not in STATES:
            raise InvalidInput.for_field("state", _("Choose one of: %s.") % ", ".join(STATES))
        kind = params.get("kind", "").strip()
        if kind and kind not in Candidate.Kind.values:
            raise InvalidInput.for_field(
                "kind", _("Choose one of: %s.") % ", ".join(Candidate.Kind.values)
            )
        month = _month(params["month"]) if params.get("month") else None
        cohort = int_param(request, "cohort") if params.get("cohort") else None
        candidates = selectors.candidates_for_seats(
            seats, cohort=cohort, kind=kind, state=state, period=month
        )
        return self.paginate(candidates, lambda page: [candidate_data(c) for c in page])
