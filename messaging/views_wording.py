"""Partner admins word the notices their own way, per language (`messaging/wording.py`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import policy
from messaging import notices, wording
from mutuality import formatting
from mutuality.errors import ApplicationError
from mutuality.forms import show_service_errors

# What a notice is, in words, for the admin choosing one to word.
NOTICE_NAMES = {
    "survey_open": gettext_lazy("The month's survey is open"),
    "survey_reminder": gettext_lazy("Reminder of the month's survey"),
    "correction_asked": gettext_lazy("A correction was asked"),
    "survey_verified": gettext_lazy("The survey is verified"),
    "payment_failed": gettext_lazy("A payment did not go through"),
}


class WordingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your wording"),
        max_length=320,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _example(seat, notice: str, text: str, language: str) -> str:
    """The text as a family would read it, with example facts."""
    from django.utils import timezone

    with translation.override(language):
        values = {
            "partner": seat.partner.name,
            "month": formatting.month_name(timezone.localdate()),
            "amount": formatting.money(seat.partner.stipend_amount, seat.partner.currency),
            "reason": _("the amount of savings"),
        }
        try:
            return text % values
        except (KeyError, TypeError, ValueError):
            return text


def _seat_and_notice(request, partner_slug, notice=None, language=None):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "notices.word")
    if notice is not None and (
        notice not in notices.TEXTS or language not in (seat.partner.languages or [])
    ):
        raise Http404
    return seat


@login_required
def notice_wording_list(request, partner_slug):
    seat = _seat_and_notice(request, partner_slug)
    rows = []
    for notice, name in NOTICE_NAMES.items():
        for language in seat.partner.languages or []:
            own = wording.wording_for(seat.partner, notice, language)
            rows.append(
                {
                    "notice": notice,
                    "name": name,
                    "language": language,
                    "text": _example(
                        seat, notice, own or wording.fixed_text(notice, language), language
                    ),
                    "is_own": own is not None,
                }
            )
    return render(request, "messaging/wording/list.html", {"seat": seat, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def notice_wording_edit(request, partner_slug, notice, language):
    seat = _seat_and_notice(request, partner_slug, notice, language)
    fixed = wording.fixed_text(notice, language)
    own = wording.wording_for(seat.partner, notice, language)
    form = WordingForm(request.POST or None, initial={"text": own or fixed})
    if request.method == "POST" and form.is_valid():
        try:
            wording.notice_wording_set(
                seat=seat, notice=notice, language=language, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The notice now reads your way."))
            return redirect("notice_wording_list", partner_slug=seat.partner.slug)
    context = {
        "seat": seat,
        "form": form,
        "name": NOTICE_NAMES[notice],
        "notice": notice,
        "language": language,
        "fixed": fixed,
        "facts": ", ".join(f"%({name})s" for name in wording.placeholders(fixed)),
        "example": _example(seat, notice, own or fixed, language),
        "is_own": own is not None,
        "max_length": wording.MAX_LENGTH,
    }
    status = 400 if form.errors else 200
    return render(request, "messaging/wording/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def notice_wording_reset(request, partner_slug, notice, language):
    """Back to the platform's wording, after a confirmation."""
    seat = _seat_and_notice(request, partner_slug, notice, language)
    if request.method == "POST":
        if wording.notice_wording_reset(seat=seat, notice=notice, language=language):
            messages.success(request, _("The notice reads the platform's way again."))
        return redirect("notice_wording_list", partner_slug=seat.partner.slug)
    context = {
        "seat": seat,
        "name": NOTICE_NAMES[notice],
        "notice": notice,
        "language": language,
        "example": _example(seat, notice, wording.fixed_text(notice, language), language),
    }
    return render(request, "messaging/wording/reset.html", context)
