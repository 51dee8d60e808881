"""Ventures: families plan and run them, alone or with families of their group (a collective
venture); they post how each month went and ask for funding on their own terms. Staff and
liaisons read their cohorts' ventures and never create or change them (403)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from families import access as family_access
from families.api.common import PaginatedAPIView, errors
from mutuality.errors import InvalidInput, NotAllowed
from mutuality.idempotency import idempotent
from mutuality.parsers import JSONParser
from ventures import selectors, services
from ventures.api.common import (
    FundingAskSerializer,
    VentureSerializer,
    VentureUpdateSerializer,
    acting_family,
    ask_data,
    money_input,
    owned_venture,
    plan_data,
    remap_errors,
    update_data,
    update_dict,
    venture_data,
    venture_dict,
    venture_for_reader,
)
from ventures.models import FundingAsk, Venture

RECENT_UPDATES = 12


def _only_families_create() -> str:
    return _("Only families create ventures.")


def _only_owners() -> str:
    return _("Only the venture's owner families can change it.")


class BudgetLineInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    amount = money_input()


class MilestoneInputSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class VentureCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Venture"  # the request component is "VentureRequest", beside "Venture"

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Venture.Kind.choices)
    sector = serializers.ChoiceField(choices=Venture.Sector.choices)
    description = serializers.CharField(max_length=4000)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(
        choices=Venture.Visibility.choices,
        default=Venture.Visibility.GROUP,
        help_text="Who may see it besides its owners: their group (default), their cohort, "
        "the partner's staff only, or everyone, funders included.",
    )
    owner_family = serializers.IntegerField(
        required=False, help_text="Your own family's id: a venture of your household."
    )
    owner_group = serializers.IntegerField(
        required=False,
        help_text="Your group's id: a collective venture, with `co_owners` from your group.",
    )
    co_owners = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="With `owner_group`: the other families of your group who own it with you.",
    )
    budget = BudgetLineInputSerializer(many=True, required=False, default=list)
    milestones = MilestoneInputSerializer(many=True, required=False, default=list)
    expected_monthly_revenue = money_input(
        required=False, help_text="Zero or more, in the partner's currency."
    )

    def validate(self, data):
        family, group = data.get("owner_family"), data.get("owner_group")
        if (family is None) == (group is None):
            raise serializers.ValidationError(
                {"owner_family": [_("Give owner_family or owner_group (one of them).")]}
            )
        if group is not None and not data["co_owners"]:
            raise serializers.ValidationError(
                {"co_owners": [_("A collective venture needs at least one other family.")]}
            )
        if family is not None and data["co_owners"]:
            raise serializers.ValidationError(
                {"co_owners": [_("Co-owners make a collective venture: give owner_group.")]}
            )
        return data


class VentureListCreateView(PaginatedAPIView):
    """Ventures. A family member sees those of their cohort they may see (their own, their
    group's, the cohort's and public ones); staff and liaisons see their cohorts' ventures.

    A family creates one with its budget and milestones: `owner_family` (its own id) for its
    household's venture, or `owner_group` (its group's id) with `co_owners` for a collective
    one. Staff and liaisons never create ventures (403)."""

    # A plan nests budget lines and milestones, and a form cannot say "null": JSON only.
    parser_classes = [JSONParser]

    @extend_schema(responses={200: VentureSerializer(many=True), **errors(403)})
    def get(self, request):
        family = family_access.family_seat_or_none(request.user)
        if family is not None:
            currency = family.family.partner.currency
            return self.paginate(
                selectors.ventures_visible_to_family(family),
                lambda page: [venture_data(v, currency=currency) for v in page],
            )
        seats = family_access.staff_seats(request.user)
        if not seats:
            raise NotAllowed(_("Families and their partner's staff see ventures."))
        return self.paginate(
            selectors.ventures_for_staff_seats(seats),
            lambda page: [venture_data(v, currency=v.partner.currency) for v in page],
        )

    @extend_schema(
        request=VentureCreateSerializer,
        responses={201: VentureSerializer, **errors(400, 403)},
    )
    @idempotent
    def post(self, request):
        seat = acting_family(request.user, staff_message=_only_families_create())
        data = VentureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        family = seat.family
        if "owner_family" in values and values["owner_family"] != family.pk:
            raise NotAllowed(
                _("Families create ventures for their own household only."),
                errors={"owner_family": [_("Give your own family's id.")]},
            )
        if "owner_group" in values and values["owner_group"] != family.group_id:
            raise NotAllowed(
                _("A collective venture belongs to your own group."),
                errors={"owner_group": [_("Give your own group's id.")]},
            )
        plan = services.PlanInput(
            budget_lines=[(line["item"], line["amount"]) for line in values["budget"]],
            milestones=[(m["what"], m["due_on"]) for m in values["milestones"]],
            expected_monthly_revenue=values.get("expected_monthly_revenue") or "0",
        )
        try:
            venture = services.venture_create(
                seat=seat,
                name=values["name"],
                kind=values["kind"],
                sector=values["sector"],
                description=values["description"],
                location=values.get("location", ""),
                started_on=values.get("started_on"),
                visibility=values["visibility"],
                co_owner_ids=values["co_owners"],
                plan=plan,
            )
        except InvalidInput as exc:
            raise remap_errors(exc, {"budget_lines": "budget"}) from None
        return Response(_detail(venture, owner=True, staff=False), status=status.HTTP_201_CREATED)


def _detail(venture: Venture, *, owner: bool, staff: bool) -> dict:
    currency = venture.partner.currency
    if staff:
        asks = selectors.staff_venture_asks(venture)
    else:
        asks = selectors.family_venture_asks(venture, owner=owner)
    updates = selectors.venture_updates(venture).order_by("-period")[:RECENT_UPDATES]
    data = venture_dict(venture, currency=currency)
    data["plan"] = plan_data(selectors.current_plan(venture))
    data["updates"] = [update_dict(update, currency=currency) for update in updates]
    data["asks"] = [ask_data(ask, venture=venture) for ask in asks]
    data["you_own"] = owner
    return VentureSerializer(data).data


class VentureDetailView(APIView):
    """One venture with its current plan, its latest monthly updates and its funding asks with
    their progress; for whom may see it (else 404)."""

    @extend_schema(responses={200: VentureSerializer, **errors(404)})
    def get(self, request, venture_id):
        reader = venture_for_reader(request.user, venture_id)
        return Response(_detail(reader.venture, owner=reader.owner, staff=reader.staff is not None))


class UpdateCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "VentureUpdate"

    period = serializers.CharField(max_length=7, help_text="The month, YYYY-MM.")
    revenue = money_input(help_text="Zero or more, in the partner's currency.")
    costs = money_input(help_text="Zero or more, in the partner's currency.")
    household_jobs = serializers.IntegerField(required=False, default=0, min_value=0)
    other_jobs = serializers.IntegerField(required=False, default=0, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class VentureUpdatesView(PaginatedAPIView):
    """How each month went, the newest first, for whom may see the venture. Its owners post a
    month with `{"period","revenue","costs","household_jobs","other_jobs","note"}`; a second
    update for the same month is 409. Staff, liaisons and other families get 403."""

    @extend_schema(responses={200: VentureUpdateSerializer(many=True), **errors(404)})
    def get(self, request, venture_id):
        venture = venture_for_reader(request.user, venture_id).venture
        currency = venture.partner.currency
        return self.paginate(
            selectors.venture_updates(venture).order_by("-period"),
            lambda page: [update_data(update, currency=currency) for update in page],
        )

    @extend_schema(
        request=UpdateCreateSerializer,
        responses={201: VentureUpdateSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, venture_id):
        seat, venture = owned_venture(request.user, venture_id, message=_only_owners())
        data = UpdateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.venture_post_update(seat=seat, venture=venture, **data.validated_data)
        return Response(
            update_data(update, currency=venture.partner.currency),
            status=status.HTTP_201_CREATED,
        )


class AskCreateSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FundingAsk"

    kind = serializers.ChoiceField(choices=FundingAsk.Kind.choices)
    amount = money_input()
    purpose = serializers.CharField(max_length=2000)
    deadline = serializers.DateField(help_text="After today.")
    friends_first_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=60,
        help_text="Days during which only the family's group and cohort see it (default: the "
        "partner's setting; 0 goes public at once, after the partner's check if it has one).",
    )
    repayment_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=60,
        help_text="For a loan: over how many months the family would repay it.",
    )
    budget_lines = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the budget lines of the venture's current plan this ask pays for.",
    )
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send it at once: to the partner's check when it has one, else published.",
    )


class VentureAsksView(PaginatedAPIView):
    """A venture's funding asks as the caller may see them. Its owners ask for a donation, a
    zero-interest loan or an investment, on their own terms; with `"submit": true` the ask is
    sent at once. Staff, liaisons and other families get 403: only the family asks."""

    @extend_schema(responses={200: FundingAskSerializer(many=True), **errors(404)})
    def get(self, request, venture_id):
        reader = venture_for_reader(request.user, venture_id)
        venture = reader.venture
        if reader.staff is not None:
            asks = selectors.staff_venture_asks(venture)
        else:
            asks = selectors.family_venture_asks(venture, owner=reader.owner)
        return self.paginate(asks, lambda page: [ask_data(a, venture=venture) for a in page])

    @extend_schema(
        request=AskCreateSerializer,
        responses={201: FundingAskSerializer, **errors(400, 403, 404)},
    )
    @idempotent
    def post(self, request, venture_id):
        seat, venture = owned_venture(
            request.user,
            venture_id,
            message=_("Only the venture's owner families ask for funding."),
        )
        data = AskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ask = services.ask_create(
            seat=seat,
            venture=venture,
            kind=values["kind"],
            amount=values["amount"],
            purpose=values["purpose"],
            deadline=values["deadline"],
            friends_first_days=values.get("friends_first_days"),
            budget_line_ids=values["budget_lines"],
            repayment_months=values.get("repayment_months"),
        )
        if values["submit"]:
            ask = services.ask_submit(seat=seat, ask=ask)
        ask = selectors.venture_asks(venture).get(pk=ask.pk)
        return Response(ask_data(ask, venture=venture), status=status.HTTP_201_CREATED)
