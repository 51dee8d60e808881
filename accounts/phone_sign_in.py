"""Signing in with a phone number: how a number typed on the sign-in page is read, and the
text message that carries a code.

allauth's phone support and login by code do the rest (codes, their expiry, attempts and rate
limits); the adapter (`accounts.adapters`) connects them to `User.phone`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutuality import phones


def partner_countries() -> list[str]:
    """The countries whose numbers may be typed without their code on the sign-in page."""
    from accounts.models import Partner

    countries = Partner.objects.order_by("pk").values_list("country", flat=True).distinct()
    seen: list[str] = []
    for country in countries:
        if country and country not in seen:
            seen.append(country)
    return seen


def read_sign_in_phone(typed: str) -> str:
    """E.164 for a number typed on the sign-in page, where the partner is not known yet.

    A number with its country code is read as written. One without is read in each partner's
    country in turn: the first reading that belongs to an account wins, else the first that is
    a valid number (nothing is said about accounts that do not exist)."""
    from accounts.models import User

    text = (typed or "").strip()
    if text.startswith(("+", "00")):
        return phones.to_e164(text, None)
    readings = []
    for country in partner_countries() or [settings.PHONE_DEFAULT_REGION or None]:
        try:
            readings.append(phones.to_e164(text, country))
        except phones.NotAPhoneNumber:
            continue
    if not readings:
        return phones.to_e164(
            text, settings.PHONE_DEFAULT_REGION or None
        )  # refuses, with an example
    known = set(User.objects.filter(phone__in=readings).values_list("phone", flat=True))
    return next((reading for reading in readings if reading in known), readings[0])


class SignInPhoneField(forms.CharField):
    """A phone number as its owner writes it: `0777 123 456`, `+231 777 123 456`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Phone number"))
        kwargs.setdefault("max_length", phones.MAX_TYPED_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return read_sign_in_phone(value)
        except phones.NotAPhoneNumber as refused:
            raise forms.ValidationError(refused.message, code="invalid_phone") from refused


def code_message(user, code: str, *, minutes: int) -> str:
    """The text with a sign-in code, in the user's language: short enough for one SMS."""
    from families.selectors import family_for_user

    family = family_for_user(user)
    language = user.language or (
        (family.partner.languages or [settings.LANGUAGE_CODE])[0]
        if family
        else settings.LANGUAGE_CODE
    )
    with translation.override(language):
        return _(
            "Your Mutuality code is %(code)s. It works for %(minutes)s minutes. "
            "Nobody from your partner will ask you for it."
        ) % {"code": code, "minutes": minutes}


def send_first_code(request, user, *, next_url: str):
    """After a family's account is made with a phone: text a code to it and ask for it back.

    The code proves the number is theirs (allauth then marks it verified) and signs them in;
    until then nobody is signed in, even on the page that made the account."""
    from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
    from django.contrib.auth import REDIRECT_FIELD_NAME
    from django.shortcuts import redirect
    from django.urls import reverse
    from django.utils.http import urlencode

    LoginCodeVerificationProcess.initiate(request=request, user=user, phone=user.phone)
    query = urlencode({REDIRECT_FIELD_NAME: next_url})
    return redirect(f"{reverse('account_confirm_login_code')}?{query}")
