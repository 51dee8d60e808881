from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner, Role
from mutuality.forms import AmountField, NewPasswordForm, WholeNumberField

# Amounts and counts of a partner's settings, typed the way the staff member writes numbers.
NUMBER_FIELDS = {
    "stipend_amount": AmountField,
    "survey_money_ceiling": AmountField,
    "months_before_phase_two": WholeNumberField,
    "friends_first_days": WholeNumberField,
    "baseline_months": WholeNumberField,
    "unusual_change_percent": WholeNumberField,
}


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, allowed_roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed_roles]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JoinForm(NewPasswordForm):
    name = forms.CharField(label=_("Your name"), max_length=150)

    field_order = ["name", "password1", "password2"]


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
        field_classes = NUMBER_FIELDS


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
            "friends_first_days",
            "baseline_months",
            "unusual_change_percent",
            "survey_money_ceiling",
        ]
        field_classes = NUMBER_FIELDS


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
