"""Writes for accounts: partners, memberships, invitations of staff, API tokens, the audit trail."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy, sessions
from accounts.models import (
    ApiToken,
    AuditEvent,
    FunderAccess,
    FunderProfile,
    Membership,
    Partner,
    Role,
    StaffInvitation,
    User,
)
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated

PARTNER_FIELDS = (
    "name",
    "slug",
    "country",
    "currency",
    "languages",
    "timezone",
    "stipend_amount",
    "months_before_phase_two",
    "funding_asks_need_review",
    "friends_first_days",
    "baseline_months",
    "unusual_change_percent",
    "survey_money_ceiling",
)


def audit_record(
    *,
    actor: User | None,
    verb: str,
    obj,
    partner: Partner | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        partner=partner,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def snapshot(instance, fields) -> dict:
    return model_to_dict(instance, fields=fields)


# Partners -------------------------------------------------------------------------------------


@transaction.atomic
def partner_create(
    *,
    actor: User,
    name: str,
    slug: str,
    country: str,
    currency: str,
    languages: list[str] | None = None,
    timezone_name: str = "UTC",
    stipend_amount: Decimal = Decimal("0.00"),
    months_before_phase_two: int = 4,
    funding_asks_need_review: bool = True,
    first_admin_email: str = "",
) -> Partner:
    if not policy.is_platform_admin(actor):
        raise NotAllowed(_("Only platform admins create partners."))
    partner = Partner(
        name=name.strip(),
        slug=slug.strip().lower(),
        country=country.strip().upper(),
        currency=currency.strip().upper(),
        languages=languages or [settings.LANGUAGE_CODE],
        timezone=timezone_name,
        stipend_amount=stipend_amount,
        months_before_phase_two=months_before_phase_two,
        funding_asks_need_review=funding_asks_need_review,
    )
    validated(partner)
    partner.save()
    audit_record(
        actor=actor,
        verb="partner.create",
        obj=partner,
        partner=partner,
        after=snapshot(partner, PARTNER_FIELDS),
    )
    if first_admin_email:
        _staff_invitation_issue(
            actor=actor, partner=partner, email=first_admin_email, role=Role.ADMIN
        )
    return partner


@transaction.atomic
def partner_update(*, seat: policy.Seat, **changes) -> Partner:
    policy.require(seat, "partner.edit")
    partner = Partner.objects.select_for_update().get(pk=seat.partner.pk)
    unknown = set(changes) - set(PARTNER_FIELDS) - {"slug"}
    if unknown or "slug" in changes:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before = snapshot(partner, PARTNER_FIELDS)
    for field, value in changes.items():
        setattr(partner, field, value)
    validated(partner)
    partner.save()
    audit_record(
        actor=seat.user,
        verb="partner.update",
        obj=partner,
        partner=partner,
        before=before,
        after=snapshot(partner, PARTNER_FIELDS),
    )
    return partner


# Memberships and invitations of staff --------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _staff_invitation_issue(
    *, actor: User, partner: Partner, email: str, role: str
) -> tuple[StaffInvitation, str]:
    token = _new_token()
    invitation = StaffInvitation(
        partner=partner,
        email=email.strip().lower(),
        role=role,
        invited_by=actor,
        token_digest=StaffInvitation.digest(token),
        expires_at=timezone.now() + timedelta(days=settings.STAFF_INVITATION_TTL_DAYS),
    )
    validated(invitation, constraints=False)
    if Membership.objects.filter(partner=partner, user__email=invitation.email).exists():
        raise Conflict(
            _("This person already works with %(partner)s.") % {"partner": partner.name},
            errors={"email": [_("Already a member.")]},
        )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        raise Conflict(
            _("An invitation to this address is already waiting. Re-send it instead."),
            errors={"email": [_("Already invited.")]},
        ) from exc
    audit_record(
        actor=actor,
        verb="staff_invitation.create",
        obj=invitation,
        partner=partner,
        after={"email": invitation.email, "role": role},
    )
    _send_invitation_on_commit(invitation, token)
    return invitation, token


def _send_invitation_on_commit(invitation: StaffInvitation, token: str) -> None:
    from accounts.tasks import deliver_staff_invitation

    transaction.on_commit(lambda: deliver_staff_invitation.delay(invitation.pk, token))


@transaction.atomic
def staff_invitation_create(
    *, seat: policy.Seat, email: str, role: str
) -> tuple[StaffInvitation, str]:
    policy.require(seat, "team.invite")
    if role not in Role.values:
        raise InvalidInput.for_field("role", _("Choose a valid role."))
    if role not in policy.roles_allowed_to_invite(seat):
        raise NotAllowed(_("Your role cannot invite a %(role)s.") % {"role": Role(role).label})
    return _staff_invitation_issue(actor=seat.user, partner=seat.partner, email=email, role=role)


@transaction.atomic
def staff_invitation_resend(
    *, seat: policy.Seat, invitation: StaffInvitation
) -> tuple[StaffInvitation, str]:
    policy.require(seat, "team.invite")
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != StaffInvitation.Status.PENDING:
        raise Conflict(_("Only a waiting invitation can be re-sent."))
    token = _new_token()
    invitation.token_digest = StaffInvitation.digest(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.STAFF_INVITATION_TTL_DAYS)
    invitation.save(update_fields=["token_digest", "expires_at"])
    audit_record(
        actor=seat.user, verb="staff_invitation.resend", obj=invitation, partner=seat.partner
    )
    _send_invitation_on_commit(invitation, token)
    return invitation, token


@transaction.atomic
def staff_invitation_revoke(*, seat: policy.Seat, invitation: StaffInvitation) -> StaffInvitation:
    policy.require(seat, "team.invite")
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != StaffInvitation.Status.PENDING:
        raise Conflict(_("Only a waiting invitation can be revoked."))
    invitation.status = StaffInvitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=seat.user,
        verb="staff_invitation.revoke",
        obj=invitation,
        partner=seat.partner,
        before={"status": "pending"},
        after={"status": "revoked"},
    )
    return invitation


def staff_invitation_by_token(token: str) -> StaffInvitation | None:
    """The pending, unexpired invitation this token opens, or None."""
    invitation = (
        StaffInvitation.objects.select_related("partner")
        .filter(token_digest=StaffInvitation.digest(token or ""))
        .first()
    )
    if (
        invitation is None
        or invitation.status != StaffInvitation.Status.PENDING
        or invitation.is_expired
    ):
        return None
    return invitation


@transaction.atomic
def staff_invitation_accept(
    *,
    token: str,
    user: User | None = None,
    name: str = "",
    password: str = "",
) -> Membership:
    """Join the partner. A signed-in user must be the invited address; otherwise an account
    is created for the invited address (which the emailed link has just verified)."""
    invitation = staff_invitation_by_token(token)
    if invitation is None:
        raise Conflict(_("This invitation has expired, was revoked or was already used."))
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != StaffInvitation.Status.PENDING:
        raise Conflict(_("This invitation has expired, was revoked or was already used."))

    if user is not None and user.is_authenticated:
        if user.email != invitation.email:
            raise NotAllowed(
                _("This invitation is for %(email)s. Sign out and open the link again.")
                % {"email": invitation.email}
            )
    else:
        user = User.objects.filter(email=invitation.email).first()
        if user is not None:
            raise Conflict(_("You already have an account. Sign in, then open the link again."))
        user = user_create(email=invitation.email, name=name, password=password, verified=True)

    membership = Membership.objects.create(
        partner=invitation.partner, user=user, role=invitation.role
    )
    invitation.status = StaffInvitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    audit_record(
        actor=user,
        verb="membership.create",
        obj=membership,
        partner=invitation.partner,
        after={"user": user.email, "role": membership.role, "invitation": invitation.pk},
    )
    return membership


@transaction.atomic
def membership_remove(*, seat: policy.Seat, membership: Membership) -> None:
    """The person no longer works with the partner: their sessions and API tokens end at once."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    policy.require_may_remove_member(seat, membership)
    if membership.role == Role.ADMIN and _last_admin(membership):
        raise Conflict(_("A partner keeps at least one admin. Make someone else admin first."))
    before = {"user": membership.user.email, "role": membership.role}
    audit_record(
        actor=seat.user,
        verb="membership.remove",
        obj=membership,
        partner=seat.partner,
        before=before,
    )
    membership.delete()
    user_sessions_end(user=membership.user, actor=seat.user, reason="membership_removed")


@transaction.atomic
def membership_change_role(*, seat: policy.Seat, membership: Membership, role: str) -> Membership:
    """A new role for a member. Their sessions and API tokens end: what they were signed in
    with was granted for the old role."""
    if role not in Role.values:
        raise InvalidInput.for_field("role", _("Choose a valid role."))
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    policy.require(seat, "team.change_role")
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN and _last_admin(membership):
        raise Conflict(_("A partner keeps at least one admin. Make someone else admin first."))
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=seat.user,
        verb="membership.change_role",
        obj=membership,
        partner=seat.partner,
        before={"user": membership.user.email, "role": before},
        after={"user": membership.user.email, "role": role},
    )
    user_sessions_end(user=membership.user, actor=seat.user, reason="role_changed")
    return membership


def _last_admin(membership: Membership) -> bool:
    return (
        not Membership.objects.filter(partner_id=membership.partner_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


# Users -----------------------------------------------------------------------------------------


@transaction.atomic
def user_sessions_end(
    *, user: User, actor: User | None, reason: str, keep_session_key: str | None = None
) -> dict:
    """End the user's signed-in sessions (all but the one kept) and revoke their API tokens."""
    ended = sessions.sessions_end_for(user, keep_session_key=keep_session_key)
    tokens, _deleted = ApiToken.objects.filter(user=user).delete()
    after = {"reason": reason, "sessions": ended, "api_tokens": tokens}
    audit_record(actor=actor, verb="user.sessions_end", obj=user, partner=None, after=after)
    return after


def user_create(
    *,
    email: str = "",
    name: str,
    password: str = "",
    verified: bool = False,
    language: str = "",
    phone: str = "",
    phone_verified: bool = False,
) -> User:
    """A new account, with an email, a phone (E.164) or both. The caller decides whether the
    address or the number is already proven.

    A password is optional for an account with a phone: its owner signs in with codes sent by
    SMS, and may set a password later."""
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Tell us your name.")]
    if not email and not phone:
        errors["email"] = [_("Give an email or a phone number.")]
    if email and User.objects.filter(email=email).exists():
        errors["email"] = [_("An account with this email already exists.")]
    if phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = [_("An account with this phone number already exists.")]
    candidate = User(email=email or None, phone=phone or None, name=name)
    if password or not phone:
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as exc:
            errors["password"] = [str(m) for m in exc.messages]
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    candidate.language = language
    candidate.phone_verified = bool(phone) and phone_verified
    if password:
        candidate.set_password(password)
    else:
        candidate.set_unusable_password()
    validated(candidate)
    candidate.save()
    if email:
        EmailAddress.objects.create(user=candidate, email=email, primary=True, verified=verified)
    audit_record(
        actor=candidate,
        verb="user.create",
        obj=candidate,
        partner=None,
        after={"sign_in": "phone" if not email else "email"},
    )
    return candidate


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput.for_field("language", _("Choose a supported language."))
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=user,
            verb="user.set_language",
            obj=user,
            partner=None,
            before={"language": before},
            after={"language": language},
        )
    return user


# Funders ---------------------------------------------------------------------------------------


@transaction.atomic
def funder_access_grant(*, seat: policy.Seat, funder: FunderProfile) -> FunderAccess:
    policy.require(seat, "partner.edit")
    grant, created = FunderAccess.objects.get_or_create(
        partner=seat.partner, funder=funder, defaults={"granted_by": seat.user}
    )
    if created:
        audit_record(
            actor=seat.user,
            verb="funder_access.grant",
            obj=grant,
            partner=seat.partner,
            after={"funder": funder.pk},
        )
    return grant


# API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User, otp: str = "") -> str:
    """A new API token, after the two-factor check the user's roles call for."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None and policy.mfa_required_for(user):
        raise NotAllowed(
            _("Set up two-factor authentication in your account before using the API.")
        )
    if totp is not None:
        if not otp:
            raise InvalidInput.for_field("otp", _("Enter the code from your authenticator app."))
        if not TOTP(totp).validate_code(otp.strip()):
            raise InvalidInput.for_field("otp", _("This code is not valid. Try the current one."))
    token = secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(token),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit_record(actor=user, verb="api_token.issue", obj=api_token, partner=None)
    return token
