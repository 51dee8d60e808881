"""The peer feed: families post updates and wins to their group or cohort, react and comment.

Staff and liaisons read only the posts of families that share them with staff, and never post,
comment or react.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from families import access, selectors, services
from families.access import FamilySeat
from families.api.common import FamilyRefSerializer, PaginatedAPIView, errors, int_param, refuse
from families.models import Post, Reaction
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent


def _staff_do_not_post() -> str:
    return _("Staff and liaisons do not post in family feeds.")


class ReactionCountsSerializer(serializers.Serializer):
    cheer = serializers.IntegerField()
    thanks = serializers.IntegerField()
    support = serializers.IntegerField()


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Post.Source.choices)
    shown_as = serializers.CharField(help_text="Who the post comes from, as families see it.")
    family = FamilyRefSerializer(allow_null=True)
    group = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    visibility = serializers.ChoiceField(choices=Post.Visibility.choices)
    body = serializers.CharField()
    photo = serializers.CharField(allow_null=True, help_text="The photo's address, if any.")
    created_at = serializers.DateTimeField()
    comment_count = serializers.IntegerField()
    reactions = ReactionCountsSerializer()


def post_data(post: Post) -> dict:
    """`post` comes from one of the feed selectors (family loaded, counts annotated)."""
    body = {
        "id": post.pk,
        "source": post.source,
        "shown_as": post.shown_as,
        "family": {"id": post.family_id, "name": post.family.name} if post.family_id else None,
        "group": post.group_id,
        "kind": post.kind,
        "visibility": post.visibility,
        "body": post.body,
        # Photos are never public files: the address is the access-checked page route.
        "photo": reverse("family_post_photo", args=[post.pk]) if post.photo else None,
        "created_at": post.created_at,
        "comment_count": post.comment_count,
        "reactions": {
            "cheer": post.cheer_count,
            "thanks": post.thanks_count,
            "support": post.support_count,
        },
    }
    return PostSerializer(body).data


class PostCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Post"  # the request component is "PostRequest", beside "Post"

    body = serializers.CharField(max_length=4000)
    kind = serializers.ChoiceField(choices=Post.Kind.choices, default=Post.Kind.UPDATE)
    visibility = serializers.ChoiceField(
        choices=Post.Visibility.choices, default=Post.Visibility.GROUP
    )


def _posting_family(user) -> FamilySeat:
    seat = access.family_seat_or_none(user)
    if seat is not None:
        return seat
    if access.staff_seats(user):
        raise NotAllowed(_staff_do_not_post())
    raise NotAllowed(_("Only family members post in family feeds."))


class PostListCreateView(PaginatedAPIView):
    """A family member's feed: their group's posts (`?scope=group`, the default) or the
    cohort's (`?scope=cohort`: posts shared with the whole cohort, and their group's).
    Staff and liaisons read one cohort at a time (`?cohort=`, required), and only the posts of
    families that share their posts with staff.

    Families post with `{"body","kind","visibility"}`. Photos cannot be uploaded through the API
    for now (the family's feed page takes them); staff and liaisons never post (403)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                OpenApiTypes.STR,
                enum=["group", "cohort"],
                description="Families: the group's feed (default) or the cohort's.",
            ),
            OpenApiParameter(
                "cohort", OpenApiTypes.INT, description="Staff and liaisons: required."
            ),
        ],
        responses={200: PostSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        family_seat = access.family_seat_or_none(request.user)
        seats = access.staff_seats(request.user)
        if seats and (family_seat is None or "cohort" in request.query_params):
            if "cohort" not in request.query_params:
                raise InvalidInput.for_field(
                    "cohort", _("Choose a cohort: staff read one cohort's shared posts at a time.")
                )
            seat, cohort = access.staff_seat_for_cohort(request.user, int_param(request, "cohort"))
            posts = selectors.staff_feed(seat, cohort)
        elif family_seat is not None:
            scope = request.query_params.get("scope", "group")
            if scope == "group":
                posts = selectors.group_feed(family_seat)
            elif scope == "cohort":
                posts = selectors.cohort_feed(family_seat)
            else:
                raise InvalidInput.for_field("scope", _("Choose group or cohort."))
        else:
            raise NotAllowed(_("Only families and their partner's staff read family feeds."))
        return self.paginate(posts, lambda page: [post_data(post) for post in page])

    @extend_schema(
        request=PostCreateSerializer,
        responses={201: PostSerializer, **errors(400, 403, 409)},
    )
    @idempotent
    def post(self, request):
        seat = _posting_family(request.user)
        data = PostCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_create(seat=seat, **data.validated_data)
        post = selectors.cohort_feed(seat).get(pk=post.pk)
        return Response(post_data(post), status=status.HTTP_201_CREATED)


def _post_to_read(user, post_id) -> Post:
    seat = access.family_seat_or_none(user)
    if seat is not None:
        try:
            return access.access_post(seat, post_id)
        except NotFound:
            pass
    _staff_seat, post = access.staff_seat_for_post(user, post_id)
    if post.family_id is not None and not policy.staff_can_read_posts_of(post.family):
        raise NotAllowed(_("This family does not share its posts with staff."))
    return post


def _post_to_answer(user, post_id) -> tuple[FamilySeat, Post]:
    """Families answer the posts they see; staff who may see the cohort get 403."""
    seat = access.family_seat_or_none(user)
    if seat is not None:
        try:
            return seat, access.access_post(seat, post_id)
        except NotFound:
            pass
    refuse(user, access.staff_seat_for_post, post_id, _staff_do_not_post())


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    family = FamilyRefSerializer()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class PostCommentListCreateView(PaginatedAPIView):
    """A post's comments: for the families who see the post, and for staff when its family
    shares its posts with staff. Only families comment."""

    @extend_schema(responses={200: CommentSerializer(many=True), **errors(403, 404)})
    def get(self, request, post_id):
        post = _post_to_read(request.user, post_id)
        return self.paginate(
            selectors.post_comments(post),
            lambda page: CommentSerializer(page, many=True).data,
        )

    @extend_schema(
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **errors(400, 403, 404)},
    )
    @idempotent
    def post(self, request, post_id):
        seat, post = _post_to_answer(request.user, post_id)
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_create(seat=seat, post=post, body=data.validated_data["body"])
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReactionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


class ReactionCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Reaction"

    kind = serializers.ChoiceField(choices=Reaction.Kind.choices, default=Reaction.Kind.CHEER)


class PostReactionCreateView(APIView):
    """React to a post the family sees; one reaction per person (a new one replaces it)."""

    @extend_schema(
        request=ReactionCreateSerializer,
        responses={201: ReactionSerializer, **errors(400, 403, 404)},
    )
    @idempotent
    def post(self, request, post_id):
        seat, post = _post_to_answer(request.user, post_id)
        data = ReactionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reaction = services.post_react(seat=seat, post=post, kind=data.validated_data["kind"])
        return Response(ReactionSerializer(reaction).data, status=status.HTTP_201_CREATED)
