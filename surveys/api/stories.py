"""Stories: families tell them and choose who reads them (their group, their cohort, the
partner's staff only, or everyone, with consent); liaisons and staff read their cohorts'
stories and verify them."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access as family_access
from families.access import FamilySeat
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
from surveys.models import Story


def _staff_do_not_tell() -> str:
    return _("Staff and liaisons do not tell families' stories.")


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = FamilyRefSerializer()
    cohort = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Story.Visibility.choices)
    public_consent = serializers.BooleanField(
        help_text="Whether the family consented to anyone reading it (only public stories)."
    )
    state = serializers.ChoiceField(choices=Story.State.choices)
    photos = serializers.ListField(
        child=serializers.CharField(),
        help_text="The photos' addresses in this API (photos are never public files).",
    )
    created_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)


def story_data(story: Story) -> dict:
    """`story` with its family loaded (and its photos prefetched, in lists)."""
    return StorySerializer(
        {
            "id": story.pk,
            "family": {"id": story.family_id, "name": story.family.name},
            "cohort": story.cohort_id,
            "title": story.title,
            "body": story.body,
            "visibility": story.visibility,
            "public_consent": story.public_consent_at is not None,
            "state": story.state,
            "photos": [
                f"{reverse('api_story_photo', kwargs={'story_id': story.pk})}?n={n}"
                for n in range(len(story.photos.all()))
            ],
            "created_at": story.created_at,
            "verified_at": story.verified_at,
        }
    ).data


class StoryCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Story"  # the request component is "StoryRequest", beside "Story"

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10000)
    visibility = serializers.ChoiceField(
        choices=Story.Visibility.choices,
        default=Story.Visibility.GROUP,
        help_text="Who may read it: the family's group (default), its cohort, the partner's "
        "staff only, or everyone (public, which needs `public_consent`).",
    )
    public_consent = serializers.BooleanField(
        default=False,
        help_text="Required for a public story: anyone may read it, with the family's name.",
    )


class StoryVisibilitySerializer(serializers.Serializer):
    class Meta:
        ref_name = "Story"  # the request component is "PatchedStoryRequest"

    visibility = serializers.ChoiceField(
        choices=Story.Visibility.choices,
        required=False,
        help_text="Who may read it from now on (default: unchanged). Taking a story out of "
        "public withdraws the consent at once.",
    )
    public_consent = serializers.BooleanField(
        required=False,
        help_text="Required to make a story public (a public story keeps its consent).",
    )


class StoryListCreateView(PaginatedAPIView):
    """Stories. A family member reads their own family's stories and those of their cohort
    shared with them (their group's, the cohort's and public ones); liaisons and staff read
    every story of the cohorts they may see (filter with `?cohort=`, `?state=`).

    A family member tells a story with `{"title","body","visibility","public_consent"}`.
    Photos cannot be uploaded through the API for now (the family's story page takes them).
    Staff and liaisons never tell families' stories (403)."""

    @extend_schema(
        parameters=[
            COHORT_PARAMETER,
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=Story.State.values,
                description="Staff and liaisons: only stories in this state.",
            ),
        ],
        responses={200: StorySerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        seats, family = reads_as_staff(request)
        if seats:
            state = choice_param(request, "state", Story.State)
            stories = selectors.stories_for_seats(seats, cohort=cohort_filter(request), state=state)
        elif family is not None:
            stories = selectors.stories_for_family(family)
        else:
            raise NotAllowed(_("Only families and their partner's staff read stories."))
        return self.paginate(stories, lambda page: [story_data(story) for story in page])

    @extend_schema(
        request=StoryCreateSerializer,
        responses={201: StorySerializer, **errors(400, 403)},
    )
    @idempotent
    def post(self, request):
        seat = acting_family(request.user, staff_message=_staff_do_not_tell())
        data = StoryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        story = services.story_create(seat=seat, **data.validated_data)
        return Response(story_data(story), status=status.HTTP_201_CREATED)


def _story_to_read(user, story_id) -> Story:
    """A story the caller's family may read, or one of a cohort the caller (staff, liaison)
    may see; else 404."""
    seat = family_access.family_seat_or_none(user)
    if seat is not None:
        try:
            return access.access_story_for_family(seat, story_id)
        except NotFound:
            pass
    staff_seat, story = access.staff_seat_for_story(user, story_id)
    policy.require(staff_seat, "survey.view")
    return story


def _story_of_a_reading_family(user, story_id) -> tuple[FamilySeat, Story]:
    """A story the caller's family may read (whether it may change it is the service's call).
    Staff and liaisons who may see it get 403: only its family chooses who reads it."""
    seat = family_access.family_seat_or_none(user)
    if seat is not None:
        try:
            return seat, access.access_story_for_family(seat, story_id)
        except NotFound:
            pass
    refuse(
        user,
        access.staff_seat_for_story,
        story_id,
        _("Only the family that told a story chooses who reads it."),
    )


class StoryDetailView(APIView):
    """One story, for whom may read it. Its family changes who reads it with PATCH
    `{"visibility","public_consent"}`: taking it out of public withdraws the consent at once.
    Other readers get 403 on PATCH."""

    @extend_schema(responses={200: StorySerializer, **errors(404)})
    def get(self, request, story_id):
        return Response(story_data(_story_to_read(request.user, story_id)))

    @extend_schema(
        request=StoryVisibilitySerializer,
        responses={200: StorySerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, story_id):
        seat, story = _story_of_a_reading_family(request.user, story_id)
        data = StoryVisibilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        story = services.story_set_visibility(
            seat=seat,
            story=story,
            visibility=values.get("visibility", story.visibility),
            public_consent=values.get("public_consent", story.public_consent_at is not None),
        )
        return Response(story_data(story))


class StoryVerifyView(APIView):
    """Verify a story (the liaisons of its cohort and the partner's staff); 409 if it already
    is. Its family gets 403, anyone else 404."""

    @extend_schema(request=None, responses={200: StorySerializer, **errors(403, 404, 409)})
    def post(self, request, story_id):
        try:
            seat, story = access.staff_seat_for_story(request.user, story_id)
        except NotFound:
            family = family_access.family_seat_or_none(request.user)
            if family is None:
                raise
            access.access_story_for_family(family, story_id)  # 404 unless they may read it
            raise NotAllowed(_("Liaisons and staff verify stories.")) from None
        story = services.story_verify(seat=seat, story=story)
        return Response(story_data(story))


PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class StoryPhotoView(APIView):
    """A story's photo (`?n=0` is the first), for whom may read the story: photos are never
    public files. 404 when the story has no such photo."""

    @extend_schema(
        parameters=[
            OpenApiParameter("n", OpenApiTypes.INT, description="Which photo, from 0 (default).")
        ],
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/webp"): OpenApiTypes.BINARY,
            **errors(404),
        },
    )
    def get(self, request, story_id):
        story = _story_to_read(request.user, story_id)
        try:
            n = int(request.query_params.get("n", "0"))
        except ValueError:
            n = -1
        photos = selectors.story_photos(story)
        if not 0 <= n < len(photos) or not photos[n].image:
            raise NotFound(_("This story has no such photo."))
        image = photos[n].image
        content_type = PHOTO_TYPES.get(image.name.rsplit(".", 1)[-1].lower())
        if content_type is None:
            raise NotFound(_("This story has no such photo."))
        response = FileResponse(image.open("rb"), content_type=content_type)
        response["Cache-Control"] = "private, max-age=86400"
        response["X-Content-Type-Options"] = "nosniff"
        return response
