"""The accounts part of the API: tokens, who am I, a partner's team and its invitations."""

from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_lockout_message
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy, selectors, services, sign_in_codes, signin_limits
from accounts.models import Membership, Partner, Role, StaffInvitation
from families import selectors as family_selectors
from mutuality.errors import InvalidInput, TooManyAttempts
from mutuality.idempotency import idempotent
from mutuality.pagination import StandardPagination
from mutuality.schema import ErrorSerializer


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False)
    password = serializers.CharField(
        required=False, trim_whitespace=False, style={"input_type": "password"}
    )
    phone = serializers.CharField(required=False, max_length=32)
    code = serializers.CharField(
        required=False, max_length=32, help_text="A code from `POST /api/v1/auth/code/`."
    )
    otp = serializers.CharField(required=False, allow_blank=True, max_length=16)

    def validate(self, attrs):
        if attrs.get("code"):
            if not attrs.get("phone") and not attrs.get("email"):
                raise serializers.ValidationError({"phone": [_("This field is required.")]})
            return attrs
        missing = {
            field: [_("This field is required.")]
            for field in ("email", "password")
            if not attrs.get(field)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class CodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True)


class CodeRequestView(APIView):
    """Send a one-time sign-in code by SMS (or email). The answer is the same whether or not
    an account uses that number or address, so that nobody learns who has one."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=CodeRequestSerializer,
        responses={
            202: inline_serializer("CodeRequested", {"message": serializers.CharField()}),
            400: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[],
    )
    def post(self, request):
        data = CodeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sign_in_codes.code_request(
            request,
            phone=data.validated_data.get("phone", ""),
            email=data.validated_data.get("email", ""),
        )
        return Response(
            {"message": _("If an account uses it, a code is on its way.")},
            status=status.HTTP_202_ACCEPTED,
        )


class TokenView(APIView):
    """Exchange email and password, or a phone number (or email) and a code sent to it, for an
    API token; staff roles also give their two-factor code (`otp`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("code"):
            token = sign_in_codes.code_redeem(
                phone=data.validated_data.get("phone", ""),
                email=data.validated_data.get("email", ""),
                code=data.validated_data["code"],
                otp=data.validated_data.get("otp", ""),
            )
            return Response({"token": token})
        email = data.validated_data["email"].lower()
        otp = data.validated_data.get("otp", "")
        if signin_limits.account_is_limited(email):
            raise TooManyAttempts(signin_limits.account_limited_message())
        try:
            user = authenticate(
                request=request, email=email, password=data.validated_data["password"]
            )
        except AxesBackendPermissionDenied as exc:
            raise TooManyAttempts(str(get_lockout_message())) from exc
        if getattr(request, "axes_locked_out", False):
            raise TooManyAttempts(str(get_lockout_message()))
        if user is None:
            signin_limits.account_failure_record(request, email)
        if user is None or not user.is_active:
            return Response(
                {"message": _("Wrong email or password."), "errors": {}},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        try:
            token = services.api_token_issue(user=user, otp=otp)
        except InvalidInput as exc:
            if otp and "otp" in exc.errors:
                # A wrong code counts as a failed sign-in, so that guessing codes locks the
                # account as guessing passwords does (the sign-in pages limit codes too).
                user_login_failed.send(
                    sender=__name__, credentials={"email": email}, request=request
                )
            raise
        return Response({"token": token})


class SeatSerializer(serializers.Serializer):
    partner = serializers.CharField(source="partner.slug")
    partner_name = serializers.CharField(source="partner.name")
    role = serializers.ChoiceField(choices=Role.choices)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    language = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    roles = SeatSerializer(many=True)
    family = serializers.IntegerField(allow_null=True)
    is_funder = serializers.BooleanField()


class MeView(APIView):
    """Who the caller is: roles per partner, and their family if they are a family member."""

    @extend_schema(responses={200: MeSerializer, 401: ErrorSerializer})
    def get(self, request):
        user = request.user
        family = family_selectors.family_for_user(user)
        body = {
            "id": user.pk,
            "email": user.email,
            "phone": user.phone,
            "name": user.name,
            "language": user.language,
            "is_platform_admin": policy.is_platform_admin(user),
            "roles": selectors.memberships_for_user(user),
            "family": family.pk if family else None,
            "is_funder": selectors.funder_profile_for(user) is not None,
        }
        return Response(MeSerializer(body).data)


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "country",
            "currency",
            "languages",
            "timezone",
            "stipend_amount",
            "months_before_phase_two",
            "funding_asks_need_review",
        ]


class PartnerListView(ListAPIView):
    """The partners the caller works for."""

    serializer_class = PartnerSerializer

    def get_queryset(self):
        return Partner.objects.filter(memberships__user=self.request.user).order_by("name")


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user.pk")
    email = serializers.EmailField(source="user.email", allow_null=True)
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["user", "email", "name", "role"]


class MemberListView(ListAPIView):
    """A partner's staff, admins and liaisons."""

    serializer_class = MemberSerializer

    def get_queryset(self):
        seat = policy.access_partner(self.request.user, self.kwargs["partner_slug"])
        policy.require(seat, "team.view")
        return selectors.partner_members(seat.partner)


class StaffInvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffInvitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at", "sent_at"]


class StaffInvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class StaffInvitationListCreateView(APIView):
    """Invitations to join the partner as staff or liaison; emailed to the invitee."""

    pagination_class = StandardPagination

    @extend_schema(responses={200: StaffInvitationSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, partner_slug):
        seat = policy.access_partner(request.user, partner_slug)
        policy.require(seat, "team.view")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.pending_staff_invitations(seat.partner), request, view=self
        )
        return paginator.get_paginated_response(StaffInvitationSerializer(page, many=True).data)

    @extend_schema(
        request=StaffInvitationCreateSerializer,
        responses={
            201: StaffInvitationSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @idempotent
    def post(self, request, partner_slug):
        seat = policy.access_partner(request.user, partner_slug)
        policy.require(seat, "team.invite")
        data = StaffInvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _token = services.staff_invitation_create(seat=seat, **data.validated_data)
        return Response(StaffInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class StaffInvitationRevokeView(APIView):
    @extend_schema(
        request=None,
        responses={200: StaffInvitationSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, partner_slug, invitation_id):
        seat = policy.access_partner(request.user, partner_slug)
        invitation = policy.access_staff_invitation(seat, invitation_id)
        invitation = services.staff_invitation_revoke(seat=seat, invitation=invitation)
        return Response(StaffInvitationSerializer(invitation).data)
