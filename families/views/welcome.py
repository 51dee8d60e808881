"""Enrolled households create their sign-in; staff make a link to share by phone."""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import phone_sign_in, policy
from families import access, services
from mutuality import phones
from mutuality.errors import ApplicationError
from mutuality.forms import NewPasswordForm, show_service_errors


class WelcomeForm(NewPasswordForm):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("You sign in with a code we send to it by text message."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email (optional if you give a phone number)"), required=False
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Your birth year (optional)"), required=False, min_value=1900
    )

    field_order = ["name", "phone", "email", "birth_year", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # With a phone, a password is optional: codes by SMS are the way in.
        self.fields["password1"].required = False
        self.fields["password2"].required = False
        self.fields["password1"].help_text = gettext_lazy(
            "Optional with a phone number. At least 12 characters; not a common password."
        )

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error("phone", gettext_lazy("Give your phone number or your email."))
        if not data.get("phone") and not data.get("password1") and "password1" not in self.errors:
            self.add_error(
                "password1", gettext_lazy("Choose a password, or give a phone number instead.")
            )
        return data


@require_http_methods(["GET", "POST"])
def family_welcome(request, token):
    invitation = services.account_invitation_by_token(token)
    if invitation is None:
        return render(request, "families/welcome_invalid.html", status=410)
    if request.user.is_authenticated:
        return render(request, "families/welcome_signed_in.html", {"invitation": invitation})
    family = invitation.family
    form = WelcomeForm(
        request.POST or None,
        initial={
            "email": family.contact_email or "",
            "phone": phones.for_display(family.contact_phone),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.family_account_invitation_accept(
                token=token,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                birth_year=data["birth_year"],
            )
        except ApplicationError as error:
            show_service_errors(form, error, aliases=form.service_error_aliases)
        else:
            if user.phone:
                return phone_sign_in.send_first_code(request, user, next_url=reverse("family_home"))
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
