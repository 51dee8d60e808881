"""Form helpers shared by every app's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutuality.errors import ApplicationError


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
