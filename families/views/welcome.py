"""Enrolled households create their sign-in; staff make a link to share by phone."""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from families import access, services
from mutuality.errors import ApplicationError
from mutuality.forms import NewPasswordForm, show_service_errors


class WelcomeForm(NewPasswordForm):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Your email"))
    birth_year = forms.IntegerField(
        label=gettext_lazy("Your birth year (optional)"), required=False, min_value=1900
    )

    field_order = ["name", "email", "birth_year", "password1", "password2"]


@require_http_methods(["GET", "POST"])
def family_welcome(request, token):
    invitation = services.account_invitation_by_token(token)
    if invitation is None:
        return render(request, "families/welcome_invalid.html", status=410)
    if request.user.is_authenticated:
        return render(request, "families/welcome_signed_in.html", {"invitation": invitation})
    form = WelcomeForm(
        request.POST or None, initial={"email": invitation.family.contact_email or ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.family_account_invitation_accept(
                token=token,
                name=data["name"],
                email=data["email"],
                password=data["password1"],
                birth_year=data["birth_year"],
            )
        except ApplicationError as error:
            show_service_errors(form, error, aliases=form.service_error_aliases)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            return redirect("family_home")
    status = 400 if form.errors else 200
    context = {"invitation": invitation, "form": form}
    return render(request, "families/welcome.html", context, status=status)


@login_required
@require_POST
def family_account_link(request, partner_slug, family_id):
    """Staff make a new sign-up link for a household (shown once, to share by phone)."""
    seat = policy.access_partner(request.user, partner_slug)
    family = access.access_family_for_staff(seat, family_id)
    token = services.family_account_invitation_create(seat=seat, family=family)
    link = request.build_absolute_uri(reverse("family_welcome", args=[token]))
    context = {"seat": seat, "family": family, "link": link}
    return render(request, "families/staff/account_link.html", context)
