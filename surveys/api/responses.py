"""Monthly surveys: a family fills in and corrects its own; liaisons and staff read their
cohorts' surveys, verify them (which accrues the stipend exactly once) or send them back."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access as family_access
from families.api.common import FamilyRefSerializer, PaginatedAPIView, errors, refuse
from mutuality.errors import NotAllowed, NotFound
from mutuality.idempotency import idempotent
from surveys import access, selectors, services
from surveys.api.common import (
    COHORT_PARAMETER,
    acting_family,
    choice_param,
    cohort_filter,
    reads_as_staff,
)
from surveys.api.stipends import StipendSerializer, stipend_data
from surveys.models import Review, SurveyResponse

ANSWERS_HELP = (
    "Answers keyed by the survey's metric keys (income_wages, savings_balance, adults_working, "
    "practices, ...). Money is a decimal string in the partner's currency, zero or more and "
    "below the partner's ceiling; numbers are whole; yes/no are booleans; multi-choice answers "
    "are lists. An unknown key, or a bad value, is a 400 naming `answers.<key>`."
)


def _staff_do_not_fill() -> str:
    return _("Staff and liaisons do not fill in families' surveys.")


# What a survey looks like ----------------------------------------------------------------------


class SurveyFlagSerializer(serializers.Serializer):
    metric = serializers.CharField(help_text="income_total or savings_balance.")
    previous = serializers.CharField(help_text="A decimal string: the last verified month.")
    current = serializers.CharField(help_text="A decimal string: this month.")
    percent = serializers.IntegerField(allow_null=True, help_text="Null when it was zero.")
    since = serializers.CharField(help_text="The last verified month, YYYY-MM.")


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Review.Reason.choices)
    reason_label = serializers.CharField(help_text="The reason, in the caller's language.")
    note = serializers.CharField(allow_blank=True, help_text="What needs correcting.")
    requested_at = serializers.DateTimeField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AnswerChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class SurveyRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    state = serializers.CharField(help_text="The survey's state when this version was saved.")
    created_at = serializers.DateTimeField()
    created_by = PersonRefSerializer(allow_null=True)
    changes = AnswerChangeSerializer(many=True, help_text="What changed since the revision before.")


class SurveyReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=Review.Action.choices)
    reason = serializers.CharField(allow_blank=True, help_text="A correction's reason code.")
    note = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField(allow_blank=True, help_text="What was checked.")
    reviewer = PersonRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = FamilyRefSerializer()
    cohort = serializers.IntegerField()
    period = serializers.CharField(help_text="The month, YYYY-MM.")
    state = serializers.ChoiceField(choices=SurveyResponse.State.choices)
    channel = serializers.ChoiceField(
        choices=SurveyResponse.Channel.choices,
        help_text="How the survey was sent (a draft: how it was started): the web pages, "
        "this API, text messages, USSD or an ODK form.",
    )
    client_uuid = serializers.UUIDField(
        allow_null=True, help_text="The UUID its client made for it, if one was sent."
    )
    answers = serializers.DictField(child=serializers.JSONField(), help_text=ANSWERS_HELP)
    flags = SurveyFlagSerializer(
        many=True,
        help_text="Unusual changes since the last verified month, for the liaison to look at "
        "twice; they never block.",
    )
    currency = serializers.CharField(help_text="The partner's ISO 4217 currency code.")
    editable = serializers.BooleanField(help_text="Whether the family may still change it.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    correction = CorrectionSerializer(
        allow_null=True,
        required=False,
        help_text="One survey only (not in lists): the last correction asked for, if any.",
    )
    revisions = SurveyRevisionSerializer(
        many=True, required=False, help_text="One survey only, for liaisons and staff."
    )
    reviews = SurveyReviewSerializer(
        many=True, required=False, help_text="One survey only, for liaisons and staff."
    )


def _person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": user.name}


def survey_data(survey: SurveyResponse, *, currency: str) -> dict:
    """A survey as a list shows it (`family` loaded)."""
    return {
        "id": survey.pk,
        "family": {"id": survey.family_id, "name": survey.family.name},
        "cohort": survey.cohort_id,
        "period": survey.month,
        "state": survey.state,
        "channel": survey.channel,
        "client_uuid": survey.client_uuid,
        "answers": survey.answers,
        "flags": survey.flags,
        "currency": currency,
        "editable": survey.is_editable_by_family,
        "created_at": survey.created_at,
        "updated_at": survey.updated_at,
        "submitted_at": survey.submitted_at,
        "verified_at": survey.verified_at,
    }


def survey_detail(survey: SurveyResponse, *, currency: str, for_staff: bool) -> dict:
    body = survey_data(survey, currency=currency)
    correction = selectors.latest_correction(survey)
    body["correction"] = (
        None
        if correction is None
        else {
            "reason": correction.reason,
            "reason_label": correction.get_reason_display(),
            "note": correction.note,
            "requested_at": correction.created_at,
        }
    )
    if for_staff:
        body["revisions"] = [
            {
                "number": diff.revision.number,
                "state": diff.revision.state,
                "created_at": diff.revision.created_at,
                "created_by": _person(diff.revision.created_by),
                "changes": [
                    {"key": c.key, "before": c.before, "after": c.after} for c in diff.changes
                ],
            }
            for diff in selectors.revision_history(survey)
        ]
        body["reviews"] = [
            {
                "id": review.pk,
                "action": review.action,
                "reason": review.reason,
                "note": review.note,
                "evidence": review.evidence,
                "reviewer": _person(review.reviewer),
                "created_at": review.created_at,
            }
            for review in selectors.survey_reviews(survey)
        ]
    return SurveySerializer(body).data


# Who may do what with one survey ---------------------------------------------------------------


def _survey_of_own_family(user, survey_id):
    """The caller's household's survey. Staff and liaisons who may see it get 403 (they do not
    fill in surveys); anyone else, another family included, 404."""
    seat = family_access.family_seat_or_none(user)
    if seat is not None:
        try:
            return seat, access.access_survey_for_family(seat, survey_id)
        except NotFound:
            pass
    refuse(user, access.staff_seat_for_survey, survey_id, _staff_do_not_fill())


def _survey_to_review(user, survey_id) -> tuple[policy.Seat, SurveyResponse]:
    """Liaisons of the survey's cohort and the partner's staff. The survey's own family gets
    403 (it knows the survey, but does not verify it); anyone else 404."""
    try:
        seat, survey = access.staff_seat_for_survey(user, survey_id)
    except NotFound:
        family = family_access.family_seat_or_none(user)
        if family is None:
            raise
        access.access_survey_for_family(family, survey_id)  # 404 unless it is theirs
        raise NotAllowed(_("Liaisons and staff verify surveys, not the family itself.")) from None
    policy.require(seat, "survey.verify")
    return seat, survey


# Views ------------------------------------------------------------------------------------------


class SurveyCreateSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$",
        max_length=20,
        help_text="The month, YYYY-MM, like 2026-10.",
        error_messages={"invalid": _("Give the month as YYYY-MM, like 2026-10.")},
    )
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text=ANSWERS_HELP,
    )
    submit = serializers.BooleanField(
        default=False,
        help_text="Send it for verification (every required question needs an answer); "
        "otherwise it stays a draft the family may keep filling in.",
    )
    client_uuid = serializers.UUIDField(
        required=False,
        help_text="A UUID the client made for this survey (an offline queue sends it again "
        "until it hears back): the first send is 201, the same send again 200 with the same "
        "survey, the same UUID with other answers 409.",
        error_messages={"invalid": _("Send the survey's own identifier, a UUID.")},
    )


class SurveyUpdateSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text=ANSWERS_HELP + " Only the keys sent change; null clears an answer.",
    )
    submit = serializers.BooleanField(
        default=False,
        help_text="Send it for verification; a survey sent back for a correction is resubmitted.",
    )


PERIOD_PARAMETER = OpenApiParameter(
    "period", OpenApiTypes.STR, description="Only this month, YYYY-MM."
)
STATE_PARAMETER = OpenApiParameter(
    "state",
    OpenApiTypes.STR,
    enum=SurveyResponse.State.values,
    description="Only surveys in this state (default: every state).",
)


class SurveyListCreateView(PaginatedAPIView):
    """Monthly surveys. A family member sees their own family's surveys, the newest month
    first; liaisons see the surveys of the cohorts assigned to them and staff those of all
    their partner's cohorts (filter with `?cohort=`, `?period=`, `?state=`).

    A family member fills in a month with `{"period","answers","submit"}`: one survey per
    family and month (a second is 409; open the first with PATCH). Staff and liaisons never
    fill in families' surveys (403)."""

    @extend_schema(
        parameters=[COHORT_PARAMETER, PERIOD_PARAMETER, STATE_PARAMETER],
        responses={200: SurveySerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        period = request.query_params.get("period")
        period = services.parse_period(period) if period else None
        state = choice_param(request, "state", SurveyResponse.State)
        seats, family = reads_as_staff(request)
        if seats:
            surveys = selectors.surveys_for_seats(
                seats, cohort=cohort_filter(request), period=period, state=state
            )
            return self.paginate(
                surveys,
                lambda page: [
                    SurveySerializer(survey_data(s, currency=s.partner.currency)).data for s in page
                ],
            )
        if family is None:
            raise NotAllowed(_("Only families and their partner's staff see surveys."))
        surveys = selectors.family_surveys(family.family).select_related("family")
        if period:
            surveys = surveys.filter(period=period)
        if state:
            surveys = surveys.filter(state=state)
        currency = family.partner.currency
        return self.paginate(
            surveys,
            lambda page: [SurveySerializer(survey_data(s, currency=currency)).data for s in page],
        )

    @extend_schema(
        request=SurveyCreateSerializer,
        responses={201: SurveySerializer, 200: SurveySerializer, **errors(400, 403, 409)},
    )
    @idempotent
    def post(self, request):
        seat = acting_family(request.user, staff_message=_staff_do_not_fill())
        data = SurveyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        created = True
        if fields.get("client_uuid"):
            survey, created = services.survey_send_once(
                seat=seat, channel=SurveyResponse.Channel.API, **fields
            )
        else:
            fields.pop("client_uuid", None)
            survey = services.survey_create(seat=seat, channel=SurveyResponse.Channel.API, **fields)
        return Response(
            survey_detail(survey, currency=seat.partner.currency, for_staff=False),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SurveyDetailView(APIView):
    """One survey. Its family reads it, and changes it while it is a draft or was sent back
    for a correction (PATCH with `submit` resubmits it); once sent or verified it is 409.
    Liaisons of its cohort and staff read it with its revisions and reviews."""

    @extend_schema(responses={200: SurveySerializer, **errors(404)})
    def get(self, request, survey_id):
        seat = family_access.family_seat_or_none(request.user)
        if seat is not None:
            try:
                survey = access.access_survey_for_family(seat, survey_id)
            except NotFound:
                pass
            else:
                return Response(
                    survey_detail(survey, currency=seat.partner.currency, for_staff=False)
                )
        staff_seat, survey = access.staff_seat_for_survey(request.user, survey_id)
        policy.require(staff_seat, "survey.view")
        return Response(survey_detail(survey, currency=staff_seat.partner.currency, for_staff=True))

    @extend_schema(
        request=SurveyUpdateSerializer,
        responses={200: SurveySerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request, survey_id):
        seat, survey = _survey_of_own_family(request.user, survey_id)
        data = SurveyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_update(
            seat=seat, response=survey, channel=SurveyResponse.Channel.API, **data.validated_data
        )
        return Response(survey_detail(survey, currency=seat.partner.currency, for_staff=False))


class SurveyVerifySerializer(serializers.Serializer):
    evidence = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text='What was checked, e.g. "pay stub seen". Never advice.',
    )


class SurveyVerifiedSerializer(serializers.Serializer):
    survey = SurveySerializer()
    stipend = StipendSerializer(help_text="The stipend it earned, in the partner's currency.")


class SurveyVerifyView(APIView):
    """Verify a survey waiting for verification (submitted or resubmitted; else 409): the
    liaisons of its cohort and the partner's staff. It accrues the partner's stipend for the
    family exactly once, whoever verifies and however often the request is sent."""

    @extend_schema(
        request=SurveyVerifySerializer,
        responses={200: SurveyVerifiedSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, survey_id):
        seat, survey = _survey_to_review(request.user, survey_id)
        data = SurveyVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_verify(seat=seat, response=survey, **data.validated_data)
        stipend = selectors.family_stipends(survey.family).get(survey=survey)
        body = {
            "survey": survey_detail(survey, currency=seat.partner.currency, for_staff=True),
            "stipend": stipend_data(stipend),
        }
        return Response(body)


class SurveyCorrectionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=Review.Reason.choices, help_text="Why it goes back to the family."
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text='What needs correcting (required when the reason is "other"). Never advice.',
    )
    evidence = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="What was checked."
    )


class SurveyRequestCorrectionView(APIView):
    """Send a survey waiting for verification back to its family with a reason (409 when it is
    not waiting); the family corrects it and resubmits it."""

    @extend_schema(
        request=SurveyCorrectionSerializer,
        responses={200: SurveySerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, survey_id):
        seat, survey = _survey_to_review(request.user, survey_id)
        data = SurveyCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = services.survey_request_correction(
            seat=seat, response=survey, **data.validated_data
        )
        return Response(survey_detail(survey, currency=seat.partner.currency, for_staff=True))
