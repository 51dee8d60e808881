"""Friend invitations: a family invites a household; whoever holds the link accepts it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.services import api_token_issue
from families import access, selectors, services
from families.api.common import (
    MemberInputSerializer,
    PaginatedAPIView,
    errors,
    own_family,
)
from families.models import FamilyInvitation
from families.services import HouseholdInput, MemberInput
from families.services.invitations import INVITATION_SALT
from mutuality.errors import NotAllowed, NotFound
from mutuality.idempotency import idempotent


class FamilyInvitationSerializer(serializers.ModelSerializer):
    accepted_family = serializers.IntegerField(source="accepted_family_id", allow_null=True)
    token = serializers.CharField(
        required=False,
        help_text="The invitation's secret, only in the answer that creates it: the friend "
        "accepts with it (the link is emailed to them when an email was given).",
    )
    link = serializers.URLField(
        required=False, help_text="The page where the friend accepts; with `token` only."
    )

    class Meta:
        model = FamilyInvitation
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "status",
            "created_at",
            "expires_at",
            "sent_at",
            "accepted_at",
            "accepted_family",
            "token",
            "link",
        ]
        read_only_fields = fields[:-2]  # `token` and `link` only when it is created


class FamilyInvitationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not (attrs["email"].strip() or attrs["phone"].strip()):
            raise serializers.ValidationError(
                {"email": [_("Give their email or their phone number.")]}
            )
        return attrs


class FamilyInvitationListCreateView(PaginatedAPIView):
    """A family's friend invitations. Only its members see and send them (staff who know the
    family get 403). Seed families invite up to their limit of friends (waiting invitations
    count): one more is refused with 409; a friend family gets 403."""

    @extend_schema(responses={200: FamilyInvitationSerializer(many=True), **errors(403, 404)})
    def get(self, request, family_id):
        seat = own_family(request.user, family_id)
        return self.paginate(
            selectors.family_invitations(seat.family),
            lambda page: FamilyInvitationSerializer(page, many=True).data,
        )

    @extend_schema(
        request=FamilyInvitationCreateSerializer,
        responses={201: FamilyInvitationSerializer, **errors(400, 403, 404, 409)},
    )
    @idempotent
    def post(self, request, family_id):
        seat = own_family(request.user, family_id)
        if not policy.family_may_invite(seat.family):
            raise NotAllowed(
                _(
                    "Seed families invite friends. Ask your partner if your family can start "
                    "a group."
                )
            )
        data = FamilyInvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, token = services.family_invitation_create(seat=seat, **data.validated_data)
        invitation.token = token
        invitation.link = settings.SITE_URL.rstrip("/") + reverse(
            "family_invitation_accept", args=[token]
        )
        return Response(FamilyInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class FamilyInvitationRevokeView(APIView):
    """Revoke an invitation that is still waiting (its place is freed); 409 otherwise."""

    @extend_schema(
        request=None,
        responses={200: FamilyInvitationSerializer, **errors(403, 404, 409)},
    )
    def post(self, request, family_id, family_invitation_id):
        seat = own_family(request.user, family_id)
        invitation = access.access_family_invitation(seat, family_invitation_id)
        invitation = services.family_invitation_revoke(seat=seat, invitation=invitation)
        return Response(FamilyInvitationSerializer(invitation).data)


class FamilyInvitationAcceptSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, help_text="Your name.")
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="The email you will sign in with."
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="The phone number you will sign in with (codes by SMS); read in the "
        "partner's country when written without its country code.",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Required with an email; optional with a phone number.",
    )

    def validate(self, attrs):
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError(
                {"phone": [_("Give your phone number or your email.")]}
            )
        if not attrs.get("phone") and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        return attrs

    household_size = serializers.IntegerField(min_value=1, max_value=50)
    household_name = serializers.CharField(
        max_length=200,
        required=False,
        help_text="How your household is called here; by default, after your name.",
    )
    members = MemberInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Others in your household (you are added as its head).",
    )


class FamilyInvitationAcceptedSerializer(serializers.Serializer):
    family = serializers.IntegerField(help_text="The new family's id.")
    group = serializers.IntegerField(help_text="The group it joined: the inviter's.")
    token = serializers.CharField(
        allow_null=True,
        help_text="An API token for the new account; null for an account that signs in with "
        "its phone: it asks for a code (`POST /api/v1/auth/code/`), then a token with it.",
    )
    sign_in = serializers.ChoiceField(
        choices=["password", "code"], help_text="How the new account signs in."
    )


def _issued_link(token: str) -> bool:
    """Whether `token` is a link this platform issued (open or not): signed by us, naming an
    invitation with that secret. An old link's signature has expired but was ours."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
        invitation_id, secret = int(payload["i"]), str(payload["s"])
    except signing.SignatureExpired:
        return True
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    return FamilyInvitation.objects.filter(
        pk=invitation_id, secret_digest=FamilyInvitation.digest(secret)
    ).exists()


class FamilyInvitationAcceptView(APIView):
    """Accept a friend invitation: creates the friend's household in the inviter's group and its
    account, and returns an API token for that account.

    The token in the URL is the credential: no sign-in and no CSRF. A forged or unknown token
    answers 404, as anything that does not exist; an expired, revoked or already used link
    answers 409 (whoever holds it is told plainly that it no longer works, and may ask the
    family for a new one)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=FamilyInvitationAcceptSerializer,
        responses={201: FamilyInvitationAcceptedSerializer, **errors(400, 404, 409)},
        auth=[],
    )
    @idempotent
    def post(self, request, token):
        if not _issued_link(token):
            raise NotFound(_("Not found."))
        data = FamilyInvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        household = HouseholdInput(
            name=values.get("household_name")
            or _("Household of %(name)s") % {"name": values["name"].strip()},
            household_size=values["household_size"],
            members=[MemberInput(**member) for member in values["members"]],
        )
        with transaction.atomic():
            family = services.family_invitation_accept(
                token=token,
                name=values["name"],
                email=values.get("email", ""),
                phone=values.get("phone", ""),
                password=values.get("password", ""),
                household=household,
            )
            user = family.members.select_related("user").exclude(user=None).get().user
            # A phone is proven only by a code sent to it: until then, no token.
            by_code = bool(user.phone)
            api_token = None if by_code else api_token_issue(user=user)
        body = {
            "family": family.pk,
            "group": family.group_id,
            "token": api_token,
            "sign_in": "code" if by_code else "password",
        }
        return Response(
            FamilyInvitationAcceptedSerializer(body).data, status=status.HTTP_201_CREATED
        )
