"""A family's practices: what it reported doing in its monthly surveys, told in its own words,
and whether other organizations may learn from it without the family's name.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member)
and fetches reports with `access_action_report_for_family` (404 unless it is the family's own).
Views parse input, call one service and render; the services decide.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from families.access import family_seat
from mutuality.errors import InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from surveys import selectors, services
from surveys.access import access_action_report_for_family
from surveys.models import ActionReport


class ActionReportForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What did you do? In your own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_across_partners = forms.BooleanField(
        label=gettext_lazy("Other organizations may learn from this, without our name"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("share_across_partners") and not (data.get("description") or "").strip():
            self.add_error(
                "description",
                _("Tell what you did in your own words before others may learn from it."),
            )
        return data


def _form_for(report: ActionReport, data=None) -> ActionReportForm:
    # One form per report on the page: the prefix keeps the fields' ids apart.
    return ActionReportForm(
        data,
        prefix=f"report-{report.pk}",
        initial={
            "description": report.description,
            "share_across_partners": report.share_across_partners,
        },
    )


def _page(request, seat, *, bound: ActionReportForm | None = None, bound_for=None, status=200):
    """The family's reports, a page at a time; `bound` is the form just sent for `bound_for`,
    shown with its errors (first, should the report not be on this page)."""
    page = page_of(request, selectors.family_action_reports(seat))
    rows = [{"report": report, "form": _form_for(report)} for report in page]
    if bound is not None:
        row = next((row for row in rows if row["report"].pk == bound_for.pk), None)
        if row is None:
            rows.insert(0, row := {"report": bound_for})
        row["form"] = bound
    context = {"seat": seat, "family": seat.family, "page": page, "rows": rows}
    return render(request, "surveys/family/practices.html", context, status=status)


@login_required
@require_GET
def family_practices(request):
    seat = family_seat(request.user)
    return _page(request, seat)


@login_required
@require_POST
def family_practice_describe(request, report_id):
    seat = family_seat(request.user)
    report = access_action_report_for_family(seat, report_id)
    form = _form_for(report, request.POST)
    if form.is_valid():
        try:
            services.action_report_describe(
                seat=seat,
                report=report,
                description=form.cleaned_data["description"],
                share_across_partners=form.cleaned_data["share_across_partners"],
            )
        except InvalidInput as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved: %(practice)s, in your own words.") % {"practice": report.practice.name},
            )
            back = reverse("family_practices")
            page = request.GET.get("page")
            if page and page.isdigit():
                back += f"?page={page}"
            return redirect(f"{back}#report-{report.pk}")
    return _page(request, seat, bound=form, bound_for=report, status=400)
