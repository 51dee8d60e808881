from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy, selectors, services
from accounts.forms import (
    JoinForm,
    LanguageForm,
    MemberRoleForm,
    PartnerCreateForm,
    PartnerSettingsForm,
    StaffInvitationForm,
)
from accounts.models import Partner, Role
from mutuality.errors import ApplicationError
from mutuality.forms import show_service_errors
from mutuality.redirects import back_to

PAGE_SIZE = 25


@require_POST
def language_switch(request):
    form = LanguageForm(request.POST)
    response = back_to(request, request.POST.get("next"))
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def team(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "team.view")
    allowed_roles = policy.roles_allowed_to_invite(seat)
    form = StaffInvitationForm(request.POST or None, allowed_roles=allowed_roles)
    if request.method == "POST":
        policy.require(seat, "team.invite")
        if form.is_valid():
            try:
                invitation, _token = services.staff_invitation_create(
                    seat=seat, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
                )
            except ApplicationError as error:
                show_service_errors(form, error)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("team", partner_slug=seat.partner.slug)
    members = list(selectors.partner_members(seat.partner))
    context = {
        "seat": seat,
        "form": form,
        "members": members,
        "removable": {m.pk for m in members if policy.may_remove_member(seat, m)},
        "can_change_roles": seat.can("team.change_role"),
        "roles": Role.choices,
        "invitations": selectors.pending_staff_invitations(seat.partner),
        "can_invite": seat.can("team.invite"),
    }
    return render(request, "accounts/team.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_member_remove(request, partner_slug, membership_id):
    seat = policy.access_partner(request.user, partner_slug)
    membership = policy.access_membership(seat, membership_id)
    policy.require_may_remove_member(seat, membership)
    if request.method == "POST":
        try:
            services.membership_remove(seat=seat, membership=membership)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s no longer works with %(partner)s; they were signed out.")
                % {"name": membership.user.display_name, "partner": seat.partner.name},
            )
            if membership.user_id == request.user.pk:
                return redirect("account_login")
        return redirect("team", partner_slug=seat.partner.slug)
    return render(
        request, "accounts/team_member_remove.html", {"seat": seat, "membership": membership}
    )


@login_required
@require_POST
def team_member_role(request, partner_slug, membership_id):
    seat = policy.access_partner(request.user, partner_slug)
    membership = policy.access_membership(seat, membership_id)
    policy.require(seat, "team.change_role")
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("team", partner_slug=seat.partner.slug)
    try:
        services.membership_change_role(
            seat=seat, membership=membership, role=form.cleaned_data["role"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s; they sign in again with it.")
            % {"name": membership.user.display_name, "role": Role(form.cleaned_data["role"]).label},
        )
        if membership.user_id == request.user.pk:
            return redirect("account_login")
    return redirect("team", partner_slug=seat.partner.slug)


@login_required
@require_http_methods(["GET", "POST"])
def staff_invitation_revoke(request, partner_slug, invitation_id):
    seat = policy.access_partner(request.user, partner_slug)
    invitation = policy.access_staff_invitation(seat, invitation_id)
    policy.require(seat, "team.invite")
    if request.method == "POST":
        services.staff_invitation_revoke(seat=seat, invitation=invitation)
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
        return redirect("team", partner_slug=seat.partner.slug)
    return render(
        request, "accounts/staff_invitation_revoke.html", {"seat": seat, "invitation": invitation}
    )


@login_required
@require_POST
def staff_invitation_resend(request, partner_slug, invitation_id):
    seat = policy.access_partner(request.user, partner_slug)
    invitation = policy.access_staff_invitation(seat, invitation_id)
    services.staff_invitation_resend(seat=seat, invitation=invitation)
    messages.success(
        request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
    )
    return redirect("team", partner_slug=seat.partner.slug)


@require_http_methods(["GET", "POST"])
def staff_invitation_accept(request, token):
    invitation = services.staff_invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            membership = services.staff_invitation_accept(
                token=token,
                user=request.user if signed_in else None,
                name="" if signed_in else form.cleaned_data["name"],
                password="" if signed_in else form.cleaned_data["password1"],
            )
        except ApplicationError as error:
            if form is None:
                messages.error(request, error.message)
            else:
                show_service_errors(form, error, aliases=form.service_error_aliases)
        else:
            if not signed_in:
                login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            messages.success(
                request, _("Welcome to %(partner)s.") % {"partner": membership.partner.name}
            )
            return redirect("home")
    status = 400 if form is not None and form.errors else 200
    context = {"invitation": invitation, "form": form}
    return render(request, "accounts/staff_invitation_accept.html", context, status=status)


@login_required
def audit_log(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "audit.view")
    page = Paginator(selectors.partner_audit_events(seat.partner), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/audit_log.html", {"seat": seat, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def partner_settings(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.edit")
    # The form validates a copy, so a refused change never touches the seat's partner.
    form = PartnerSettingsForm(
        request.POST or None, instance=Partner.objects.get(pk=seat.partner.pk)
    )
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.Meta.fields}
        changes["languages"] = list(changes["languages"])
        try:
            services.partner_update(seat=seat, **changes)
        except ApplicationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("partner_home", partner_slug=seat.partner.slug)
    status = 400 if form.errors else 200
    context = {"seat": seat, "form": form}
    return render(request, "accounts/partner_settings.html", context, status=status)


@login_required
def platform_home(request):
    policy.require_platform_admin(request.user)
    page = Paginator(selectors.partners_for_platform(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/platform_home.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def platform_partner_create(request):
    policy.require_platform_admin(request.user)
    form = PartnerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.partner_create(
                actor=request.user,
                name=data["name"],
                slug=data["slug"],
                country=data["country"],
                currency=data["currency"],
                languages=list(data["languages"]),
                timezone_name=data["timezone"],
                stipend_amount=data["stipend_amount"],
                months_before_phase_two=data["months_before_phase_two"],
                funding_asks_need_review=data["funding_asks_need_review"],
                first_admin_email=data["first_admin_email"],
            )
        except ApplicationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": partner.name})
            return redirect("platform_home")
    status = 400 if form.errors else 200
    return render(request, "accounts/platform_partner_form.html", {"form": form}, status=status)
