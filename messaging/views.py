"""The household's page for how it gets notices."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from families.access import family_seat
from messaging import notices, services
from messaging.models import NoticePreference
from mutuality.errors import ApplicationError
from mutuality.forms import show_service_errors


class NoticePreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("How should we tell you?"),
        choices=NoticePreference.Channel.choices,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("In which language?"),
        choices=[("", gettext_lazy("The language you use here")), *list(settings.LANGUAGES)],
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_notices(request):
    seat = family_seat(request.user)
    channel, _language = notices.preference_of(seat.family)
    chosen = NoticePreference.objects.filter(family=seat.family).first()
    initial = {"channel": channel, "language": chosen.language if chosen else ""}
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_preference_set(seat=seat, **form.cleaned_data)
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("family_notices")
    status = error.status_code if error else (400 if form.errors else 200)
    context = {"seat": seat, "family": seat.family, "form": form}
    return render(request, "messaging/family_notices.html", context, status=status)
