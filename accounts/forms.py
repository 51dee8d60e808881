from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner, Role


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, allowed_roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed_roles]


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class PartnerCreateForm(forms.ModelForm):
    first_admin_email = forms.EmailField(
        label=_("Email of the partner's first admin"),
        required=False,
        help_text=_("They get an invitation to join as partner admin."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=[settings.LANGUAGE_CODE],
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "country",
            "currency",
            "languages",
            "timezone",
            "stipend_amount",
            "months_before_phase_two",
            "funding_asks_need_review",
        ]


class PartnerSettingsForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "country",
            "currency",
            "languages",
            "timezone",
            "stipend_amount",
            "months_before_phase_two",
            "funding_asks_need_review",
        ]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
