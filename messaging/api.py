"""`GET/PUT /api/v1/me/notifications/`: how the caller's household gets its notices."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from families.access import family_seat_or_none
from messaging import notices, services
from messaging.models import NoticePreference
from mutuality.errors import NotFound
from mutuality.schema import ErrorSerializer


class NotificationsSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=NoticePreference.Channel.choices)
    language = serializers.ChoiceField(
        choices=[("", ""), *list(settings.LANGUAGES)], allow_blank=True, required=False
    )


def _seat(request):
    seat = family_seat_or_none(request.user)
    if seat is None:
        # Notices are for households; staff, liaisons and funders get none.
        raise NotFound(_("Only members of a household get notices."))
    return seat


class NotificationsView(APIView):
    """The household's channel for notices (text messages, email, both or none) and their
    language ("" for the household's own)."""

    @extend_schema(
        responses={200: NotificationsSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
    )
    def get(self, request):
        seat = _seat(request)
        channel, _language = notices.preference_of(seat.family)
        chosen = NoticePreference.objects.filter(family=seat.family).first()
        return Response({"channel": channel, "language": chosen.language if chosen else ""})

    @extend_schema(
        request=NotificationsSerializer,
        responses={
            200: NotificationsSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def put(self, request):
        seat = _seat(request)
        data = NotificationsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.notice_preference_set(
            seat=seat,
            channel=data.validated_data["channel"],
            language=data.validated_data.get("language", ""),
        )
        return Response({"channel": preference.channel, "language": preference.language})
