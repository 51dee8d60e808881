"""Requests to staff: a family asks its partner for something and the conversation goes on in
the request's thread. Staff answer every kind of request; liaisons answer those about paperwork
and payments (the phase table of `accounts.policy`), in any phase."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access, selectors, services
from families.access import FamilySeat
from families.api.common import FamilyRefSerializer, PaginatedAPIView, errors, int_param
from families.models import StaffRequest, StaffRequestMessage
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent


class RequestToStaffMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_staff = serializers.BooleanField(help_text="Written by staff or a liaison.")
    author = serializers.CharField(allow_null=True, help_text="The writer's name.")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class RequestToStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = FamilyRefSerializer()
    cohort = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=StaffRequest.Kind.choices)
    kind_label = serializers.CharField(help_text="The kind, in the caller's language.")
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=StaffRequest.Status.choices)
    status_label = serializers.CharField(help_text="The status, in the caller's language.")
    message_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    messages = RequestToStaffMessageSerializer(
        many=True, required=False, help_text="One request only (not in lists): the thread."
    )
    may_answer = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text="One request only: for staff and liaisons, whether the caller may answer it "
        "(liaisons answer paperwork and payments only); null for the family and in lists.",
    )


def request_data(request: StaffRequest, *, message_count: int | None = None) -> dict:
    """`request` comes with its family loaded (and `message_count` annotated in lists)."""
    return {
        "id": request.pk,
        "family": {"id": request.family_id, "name": request.family.name},
        "cohort": request.cohort_id,
        "kind": request.kind,
        "kind_label": request.get_kind_display(),
        "subject": request.subject,
        "status": request.status,
        "status_label": request.get_status_display(),
        "message_count": request.message_count if message_count is None else message_count,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
    }


def _message_data(message: StaffRequestMessage) -> dict:
    return {
        "id": message.pk,
        "from_staff": message.from_staff,
        "author": message.author.name if message.author_id else None,
        "body": message.body,
        "created_at": message.created_at,
    }


def request_detail(request: StaffRequest, *, seat: policy.Seat | None) -> dict:
    messages = [_message_data(m) for m in selectors.staff_request_thread(request)]
    body = request_data(request, message_count=len(messages))
    body["messages"] = messages
    body["may_answer"] = None if seat is None else services.staff_may_answer(seat, request)
    return RequestToStaffSerializer(body).data


def _request_for(user, request_id) -> tuple[FamilySeat | None, policy.Seat | None, StaffRequest]:
    """The family's own request, or a request of a cohort the staff member or liaison may see;
    anyone else (another family of the cohort included) 404."""
    family = access.family_seat_or_none(user)
    if family is not None:
        try:
            return family, None, access.access_staff_request_for_family(family, request_id)
        except NotFound:
            pass
    seat, found = access.staff_seat_for_request(user, request_id)
    policy.require(seat, "request.view")
    return None, seat, found


class StaffRequestCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RequestToStaff"  # the request component is "RequestToStaffRequest"

    kind = serializers.ChoiceField(
        choices=StaffRequest.Kind.choices, help_text="What the request is about."
    )
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=4000, help_text="What the family needs.")


class StaffRequestListCreateView(PaginatedAPIView):
    """Requests to staff. A family member sees their own family's requests; staff see those of
    every cohort of their partner and liaisons those of their cohorts (`?cohort=`, `?status=`).
    Families send a request with `{"kind","subject","body"}`; staff and liaisons do not (403)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cohort", OpenApiTypes.INT, description="Staff and liaisons: only this cohort."
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=StaffRequest.Status.values,
                description="Only requests in this status.",
            ),
        ],
        responses={200: RequestToStaffSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in StaffRequest.Status.values:
            raise InvalidInput.for_field(
                "status",
                _("Choose one of: %(values)s.") % {"values": ", ".join(StaffRequest.Status.values)},
            )
        family = access.family_seat_or_none(request.user)
        seats = access.staff_seats(request.user)
        if seats and (family is None or "cohort" in request.query_params):
            cohort = None
            if "cohort" in request.query_params:
                seat, cohort = access.staff_seat_for_cohort(
                    request.user, int_param(request, "cohort")
                )
                policy.require(seat, "request.view")
            found = selectors.staff_requests_for_seats(seats, cohort=cohort, status=wanted)
        elif family is not None:
            found = selectors.family_staff_requests(family.family)
            if wanted:
                found = found.filter(status=wanted)
        else:
            raise NotAllowed(_("Only families and their partner's staff see requests."))
        return self.paginate(
            found, lambda page: [RequestToStaffSerializer(request_data(r)).data for r in page]
        )

    @extend_schema(
        request=StaffRequestCreateSerializer,
        responses={201: RequestToStaffSerializer, **errors(400, 403)},
    )
    @idempotent
    def post(self, request):
        family = access.family_seat_or_none(request.user)
        if family is None:
            if access.staff_seats(request.user):
                raise NotAllowed(_("Families send requests to staff; staff answer them."))
            raise NotAllowed(_("Only family members send requests to staff."))
        data = StaffRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.staff_request_create(seat=family, **data.validated_data)
        created = access.access_staff_request_for_family(family, created.pk)
        return Response(request_detail(created, seat=None), status=status.HTTP_201_CREATED)


class StaffRequestDetailView(APIView):
    """One request with its thread: for its family, the partner's staff and the liaisons of
    its cohort. Anyone else, another family of the cohort included, gets 404."""

    @extend_schema(responses={200: RequestToStaffSerializer, **errors(403, 404)})
    def get(self, request, request_id):
        _family, seat, found = _request_for(request.user, request_id)
        return Response(request_detail(found, seat=seat))


class StaffRequestMessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The message (required, unless the family only closes its request).",
    )
    close = serializers.BooleanField(
        default=False, help_text="Close the request with this message."
    )


class StaffRequestMessageCreateView(APIView):
    """Write in a request's thread. Its family replies (which reopens it, or closes it with
    `close`); staff answer any request, and liaisons of its cohort answer requests about
    paperwork and payments (others are 403, with the reason). A closed request is 409."""

    @extend_schema(
        request=StaffRequestMessageCreateSerializer,
        responses={201: RequestToStaffSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, request_id):
        family, seat, found = _request_for(request.user, request_id)
        data = StaffRequestMessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if family is not None:
            services.staff_request_reply(seat=family, request=found, **values)
            found = access.access_staff_request_for_family(family, found.pk)
        else:
            services.staff_request_answer(seat=seat, request=found, **values)
            _seat, found = access.staff_seat_for_request(request.user, found.pk)
        return Response(request_detail(found, seat=seat), status=status.HTTP_201_CREATED)
