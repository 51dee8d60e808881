"""Practices: the catalogue, what families elsewhere did with one (for writing a share), and
best-practice shares: in phase II, staff or a liaison tell a cohort what other families did."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from changemakers import selectors, services
from changemakers.api.common import PersonRefSerializer, person
from changemakers.models import BestPracticeShare
from families import access
from families.api.common import PaginatedAPIView, errors, int_param
from families.models import Cohort
from mutuality.errors import InvalidInput, NotAllowed, NotFound
from mutuality.idempotency import idempotent
from surveys.models import Practice


def _staff_only() -> str:
    return _("Only the partner's staff and liaisons share what families did.")


def _partner_ids_of(user) -> set[int]:
    """The partners whose own practices the user may know: those they work for, and their
    household's."""
    ids = {seat.partner.pk for seat in access.staff_seats(user)}
    family = access.family_seat_or_none(user)
    if family is not None:
        ids.add(family.family.partner_id)
    return ids


class PracticeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the caller's language.")


def practice_ref(practice: Practice) -> dict:
    return {"slug": practice.slug, "name": practice.name}


# The catalogue ---------------------------------------------------------------------------------


class PracticeSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="What surveys' `practices` answers and shares name.")
    name = serializers.CharField(help_text="In the caller's language (Accept-Language).")
    names = serializers.DictField(
        child=serializers.CharField(), help_text="Every name, keyed by language code."
    )
    description = serializers.CharField(allow_blank=True, help_text="In the caller's language.")
    descriptions = serializers.DictField(child=serializers.CharField())
    partner = serializers.CharField(
        allow_null=True,
        help_text="The slug of the partner that added it; null for the platform's own.",
    )


def practice_data(practice: Practice) -> dict:
    return PracticeSerializer(
        {
            "slug": practice.slug,
            "name": practice.name,
            "names": practice.names or {},
            "description": practice.description,
            "descriptions": practice.descriptions or {},
            "partner": practice.partner.slug if practice.partner_id else None,
        }
    ).data


class PracticeListView(PaginatedAPIView):
    """The practice catalogue: the platform's practices and those a partner added for its own
    families, for any signed-in user (partners' own practices only for the people who work for
    the partner and its families). Names come in the caller's language, and all of them in
    `names`."""

    @extend_schema(responses={200: PracticeSerializer(many=True)})
    def get(self, request):
        practices = selectors.practice_catalogue_for(_partner_ids_of(request.user))
        return self.paginate(practices, lambda page: [practice_data(p) for p in page])


# What families elsewhere did -------------------------------------------------------------------


class CountryCountSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166 country code.")
    families = serializers.IntegerField()


class PracticeExampleSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    where = serializers.CharField(
        help_text="The region of another of the partner's cohorts, or a country: never a name."
    )
    description = serializers.CharField(help_text="The family's own words.")


class PracticeContextSerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    practice = PracticeRefSerializer()
    families_in_partner = serializers.IntegerField(
        help_text="Families of the partner's other cohorts that reported it."
    )
    families_by_country = CountryCountSerializer(
        many=True, help_text="Families of other partners that reported it, by country."
    )
    examples = PracticeExampleSerializer(
        many=True,
        help_text="A few reports in families' own words, without names: from the partner's "
        "other cohorts, and from other partners' families only when they allowed it.",
    )


class PracticeContextView(APIView):
    """For writing a share with a cohort (`?cohort=`, required): how many families reported
    the practice in the partner's other cohorts and in other countries, and a few anonymous
    examples in their own words. For the partner's staff and the cohort's liaisons, in any
    phase (sharing itself waits for phase II). A practice outside the caller's catalogue, or a
    cohort they may not see, is 404; families and others get 403."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cohort",
                OpenApiTypes.INT,
                required=True,
                description="The cohort the share would go to.",
            )
        ],
        responses={200: PracticeContextSerializer, **errors(400, 403, 404)},
    )
    def get(self, request, practice_slug):
        known = list(
            selectors.practice_catalogue_for(_partner_ids_of(request.user)).filter(
                slug=practice_slug
            )
        )
        if not known:
            raise NotFound(_("Not found."))
        if not access.staff_seats(request.user):
            raise NotAllowed(_("This is for the partner's staff and liaisons."))
        if "cohort" not in request.query_params:
            raise InvalidInput.for_field("cohort", _("Choose the cohort the share is for."))
        _seat, cohort = access.staff_seat_for_cohort(request.user, int_param(request, "cohort"))
        practice = next((p for p in known if p.partner_id in (None, cohort.partner_id)), None)
        if practice is None:
            raise NotFound(_("Not found."))
        context = selectors.practice_context(cohort, practice)
        body = {
            "cohort": cohort.pk,
            "practice": practice_ref(practice),
            "families_in_partner": context["families_in_partner"],
            "families_by_country": [
                {"country": country, "families": n} for country, n in context["families_by_country"]
            ],
            "examples": [example.__dict__ for example in context["examples"]],
        }
        return Response(PracticeContextSerializer(body).data)


# Best-practice shares --------------------------------------------------------------------------


class ShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = serializers.IntegerField()
    practice = PracticeRefSerializer()
    body = serializers.CharField(help_text="What other families did, as the cohort reads it.")
    author = PersonRefSerializer(
        allow_null=True, help_text="Who shared it: for staff and liaisons, null for families."
    )
    post = serializers.IntegerField(help_text="The post in the cohort's feed.")
    created_at = serializers.DateTimeField()


def share_data(share: BestPracticeShare, *, for_staff: bool) -> dict:
    return ShareSerializer(
        {
            "id": share.pk,
            "cohort": share.cohort_id,
            "practice": practice_ref(share.practice),
            "body": share.body,
            "author": person(share.author) if for_staff else None,
            "post": share.post_id,
            "created_at": share.created_at,
        }
    ).data


class ShareCreateSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1)
    practice = serializers.SlugField(
        max_length=60, help_text="A practice's slug from the catalogue (GET /api/v1/practices/)."
    )
    body = serializers.CharField(
        max_length=4000, help_text="What other families did, in your words. Never advice."
    )


class BestPracticeListCreateView(PaginatedAPIView):
    """Best-practice shares. Staff and liaisons list the shares of the cohorts they may see
    (`?cohort=` for one); a family member lists its own cohort's.

    Staff, admins and the cohort's liaisons share with `{"cohort","practice","body"}`, only
    while the cohort is in phase II: in phase I it is 403 whoever asks, with the reason in
    words a liaison understands. Families and anyone else get 403. A cohort the caller may not
    see (another partner's, or a liaison's unassigned cohort) is a 400 naming `cohort`, like any
    bad reference in a body; a practice outside the cohort's catalogue is a 400 naming
    `practice`. The share is posted in the cohort's feed as coming from the partner's staff."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cohort", OpenApiTypes.INT, description="Staff and liaisons: only this cohort."
            )
        ],
        responses={200: ShareSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request):
        seats = access.staff_seats(request.user)
        family = access.family_seat_or_none(request.user)
        if seats and (family is None or "cohort" in request.query_params):
            cohort = None
            if "cohort" in request.query_params:
                _seat, cohort = access.staff_seat_for_cohort(
                    request.user, int_param(request, "cohort")
                )
            shares = selectors.shares_for_seats(seats, cohort=cohort)
            for_staff = True
        elif family is not None:
            shares = selectors.cohort_shares(family.family.cohort).order_by("-created_at", "-pk")
            for_staff = False
        else:
            raise NotAllowed(_("Only families and their partner's staff read shares."))
        return self.paginate(
            shares, lambda page: [share_data(s, for_staff=for_staff) for s in page]
        )

    @extend_schema(
        request=ShareCreateSerializer,
        responses={201: ShareSerializer, **errors(400, 403)},
    )
    @idempotent
    def post(self, request):
        if not access.staff_seats(request.user):
            raise NotAllowed(_staff_only())
        data = ShareCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            seat, cohort = access.staff_seat_for_cohort(request.user, values["cohort"])
        except NotFound:
            raise InvalidInput.for_field("cohort", _("Choose one of your cohorts.")) from None
        # In phase I nobody shares, whatever else the request says.
        policy.require_phase(seat, cohort, "practice.share")
        practice = _practice_for(cohort, values["practice"])
        share = services.best_practice_share(
            seat=seat, cohort=cohort, practice=practice, body=values["body"]
        )
        return Response(share_data(share, for_staff=True), status=status.HTTP_201_CREATED)


def _practice_for(cohort: Cohort, slug: str) -> Practice:
    practice = selectors.practice_catalogue_for([cohort.partner_id]).filter(slug=slug).first()
    if practice is None:
        raise InvalidInput.for_field("practice", _("Choose a practice from the catalogue."))
    return practice
