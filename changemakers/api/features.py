"""The public gallery of Everyday Changemakers, for anyone (no sign-in): only features that are
published and that every family asked still consents to (`policy.feature_is_public`). Nothing
is cached: a withdrawal takes effect on the very next request."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from changemakers.api.practices import PracticeRefSerializer, practice_ref
from changemakers.models import Candidate, Feature
from changemakers.selectors import features as selectors
from families.api.common import PaginatedAPIView, errors
from mutuality.errors import InvalidInput


class ChangemakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    story = serializers.CharField(help_text="As the families consented to it.")
    region = serializers.CharField(allow_blank=True)
    country = serializers.CharField(help_text="ISO 3166 country code.")
    practice = PracticeRefSerializer(allow_null=True)
    partner = serializers.CharField(help_text="The partner organization's name.")
    kind = serializers.ChoiceField(
        choices=Candidate.Kind.choices, help_text="A family, a group of families, or a venture."
    )
    international = serializers.BooleanField(
        help_text="Picked by the platform admins for the global gallery (listed first)."
    )
    photo = serializers.URLField(allow_null=True)
    published_month = serializers.CharField(
        allow_null=True, help_text="YYYY-MM; null only for a preview not yet published."
    )
    public = serializers.BooleanField(
        help_text="Always true for everyone else: false only in the preview that the "
        "partner's staff and the families asked may read before it is public."
    )


def changemaker_data(request, feature: Feature, *, public: bool = True) -> dict:
    photo = None
    if feature.photo:
        photo = request.build_absolute_uri(reverse("gallery_feature_photo", args=[feature.pk]))
    return {
        "id": feature.pk,
        "headline": feature.headline,
        "story": feature.story,
        "region": feature.region,
        "country": feature.country,
        "practice": practice_ref(feature.practice) if feature.practice_id else None,
        "partner": feature.partner.name,
        "kind": feature.candidate.kind,
        "international": feature.is_international,
        "photo": photo,
        "published_month": (
            feature.published_at.strftime("%Y-%m") if feature.published_at else None
        ),
        "public": public,
    }


COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _filters(request) -> dict:
    params = request.query_params
    country = params.get("country", "").strip()
    if country and not COUNTRY.match(country):
        raise InvalidInput.for_field("country", _("Use a two-letter ISO 3166 country code."))
    region = params.get("region", "").strip()
    if len(region) > 200:
        raise InvalidInput.for_field("region", _("Keep the region to 200 characters."))
    practice = params.get("practice", "").strip()
    if len(practice) > 60:
        raise InvalidInput.for_field("practice", _("Give a practice's slug."))
    return {"country": country.upper(), "region": region, "practice": practice}


class ChangemakerListView(PaginatedAPIView):
    """Featured Everyday Changemakers, for anyone: only those published with the consent of
    every family asked. The platform admins' international picks come first, then the
    newest. Filter by `country`, `region` (any case) and `practice` (a slug)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166 code, e.g. US."),
            OpenApiParameter("region", OpenApiTypes.STR, description="A region, in any case."),
            OpenApiParameter("practice", OpenApiTypes.STR, description="A practice's slug."),
        ],
        responses={200: ChangemakerSerializer(many=True), **errors(400)},
        auth=[],
    )
    def get(self, request):
        features = selectors.gallery_features(**_filters(request))
        response = self.paginate(
            features,
            lambda page: [
                ChangemakerSerializer(changemaker_data(request, f)).data
                for f in selectors.only_public(page)
            ],
        )
        add_never_cache_headers(response)
        return response


class ChangemakerDetailView(APIView):
    """One Everyday Changemaker while it is public, for anyone; 404 otherwise. The partner's
    staff and the families asked also get it before it is public (`public` is false)."""

    # Anyone may read; a signed-in caller is recognized only for the preview.
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ChangemakerSerializer, **errors(404)})
    def get(self, request, feature_id):
        feature, public = selectors.feature_for_viewer(request.user, feature_id)
        response = Response(
            ChangemakerSerializer(changemaker_data(request, feature, public=public)).data
        )
        add_never_cache_headers(response)
        return response
