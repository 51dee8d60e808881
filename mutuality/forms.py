"""Form helpers shared by every app's pages."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mutuality import numbers
from mutuality.errors import ApplicationError


def page_locale() -> str:
    """Babel's locale for the language the page is shown in."""
    return numbers.locale_of(translation.get_language())


def _hint() -> str:
    return numbers.amount_hint(page_locale())


_lazy_hint = lazy(_hint, str)


def with_amount_hint(help_text) -> str:
    """The field's own help text, then how to write an amount in the page's language."""
    if help_text:
        return format_lazy("{} {}", help_text, _lazy_hint())
    return _lazy_hint()


class AmountField(forms.DecimalField):
    """An amount typed the user's way (`mutuality.numbers.parse_amount`, in the page's
    language), cleaned to a Decimal for the service. Zeros past `decimal_places` are dropped
    (`1,200` is 1.20 in French); a value to show is written the user's way too."""

    def __init__(self, *, decimal_places=2, hint=True, help_text="", widget=None, **kwargs):
        widget = widget or forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        help_text = with_amount_hint(help_text) if hint else help_text
        super().__init__(
            decimal_places=decimal_places, help_text=help_text, widget=widget, **kwargs
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            amount = numbers.parse_amount(value, page_locale())
        except numbers.NotANumber as refused:
            raise ValidationError(refused.message, code="invalid") from None
        places = self.decimal_places
        if places is not None and amount.as_tuple().exponent < -places:
            rounded = amount.quantize(Decimal(1).scaleb(-places))
            if rounded == amount:
                amount = rounded
        return amount

    def prepare_value(self, value):
        # Typed text comes back as typed; a stored value is written the page's way.
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return numbers.format_for_input(
                value, page_locale(), decimal_places=self.decimal_places
            )
        return value


class WholeNumberField(forms.IntegerField):
    """A whole number typed the user's way (`mutuality.numbers.parse_whole_number`)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return numbers.parse_whole_number(value, page_locale())
        except numbers.NotANumber as refused:
            raise ValidationError(refused.message, code="invalid") from None


def show_service_errors(
    form, error: ApplicationError, *, aliases: dict[str, str] | None = None, skip=()
) -> None:
    """Put a service's errors on the form: each next to its field (`aliases` maps the service's
    field names to the form's), the others on top; the error's message when none names a field.
    Fields in `skip` are shown elsewhere by the caller (e.g. on a formset)."""
    placed = False
    for service_field, messages in error.errors.items():
        placed = True
        if service_field in skip:
            continue
        name = (aliases or {}).get(service_field, service_field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if not placed:
        form.add_error(None, error.message)


class NewPasswordForm(forms.Form):
    """A new password, typed twice. Its strength is checked by the service that creates the
    account (the password validators), whose errors come back under `password`."""

    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    service_error_aliases = {"password": "password1"}

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
