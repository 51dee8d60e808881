"""Pages for partner staff: Everyday Changemaker candidates, with the reasons behind each score;
staff dismiss one (asked first, and it can be reconsidered) or go on to nominate it.

Every page starts from the seat (`policy.access_partner`), asks for "changemakers.review"
(liaisons: 403) and fetches candidates from the seat's partner only (another partner's: 404)."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from changemakers.models import Candidate
from changemakers.selectors import candidates as selectors
from changemakers.services import candidates as services
from families.models import Cohort
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FILTERS = ("cohort", "kind", "state", "month")


class CandidateFilterForm(forms.Form):
    """`?cohort=&kind=&state=&month=YYYY-MM`: all optional; state defaults to the new ones."""

    cohort = forms.TypedChoiceField(label=gettext_lazy("Cohort"), required=False, coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
        help_text=gettext_lazy("As year and month, like 2026-10."),
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (cohort.pk, cohort.name) for cohort in cohorts
        ]
        self.fields["kind"].choices = [
            ("", _("Families, groups and ventures")),
            *Candidate.Kind.choices,
        ]
        self.fields["state"].choices = [
            *Candidate.State.choices,
            (selectors.ANY_STATE, _("Any state")),
        ]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give the month as YYYY-MM, like 2026-10."))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class DismissForm(forms.Form):
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Why (optional, for your team)"),
        required=False,
        max_length=services.NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the audit trail; the family never sees it."),
    )


def _review_seat(request, partner_slug) -> policy.Seat:
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "changemakers.review")
    return seat


def _rows(candidates) -> list[dict]:
    return [
        {
            "candidate": candidate,
            "subject": selectors.subject_name(candidate),
            "reasons": [
                {"text": text, "points": reason.get("points", 0)}
                for text, reason in zip(
                    selectors.reason_texts(candidate.reasons), candidate.reasons, strict=True
                )
            ],
        }
        for candidate in candidates
    ]


@login_required
@require_GET
def changemaker_candidates(request, partner_slug):
    """The candidates the monthly job surfaced (newest month first, then by score), with the
    reasons in words, to dismiss or nominate."""
    seat = _review_seat(request, partner_slug)
    cohorts = list(Cohort.objects.filter(partner=seat.partner).order_by("name"))
    data = request.GET.copy()
    data.setdefault("state", Candidate.State.SURFACED)
    form = CandidateFilterForm(data, cohorts=cohorts)
    status = 200 if form.is_valid() else 400
    filters = form.cleaned_data  # a filter that failed is left out; the others still apply
    state = filters.get("state") or Candidate.State.SURFACED
    candidates = selectors.candidates_for_staff(
        seat,
        cohort=filters.get("cohort") or None,
        kind=filters.get("kind") or "",
        state=state,
        period=filters.get("month"),
    )
    page = page_of(request, candidates)
    context = {
        "seat": seat,
        "filter_form": form,
        "filtered": any(request.GET.get(key) for key in FILTERS),
        "state": state,
        "page": page,
        "rows": _rows(page.object_list),
        "query": urlencode([(key, request.GET[key]) for key in FILTERS if request.GET.get(key)]),
    }
    return render(request, "changemakers/candidates/list.html", context, status=status)


def _dismiss_page(request, seat, candidate, form, *, error="", status=200):
    context = {
        "seat": seat,
        "candidate": candidate,
        "row": _rows([candidate])[0],
        "form": form,
        "error": error,
    }
    return render(request, "changemakers/candidates/dismiss.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_dismiss(request, partner_slug, candidate_id):
    """Asks first (with an optional note for the team), then sets the candidate aside for its
    month. A dismissed candidate can be reconsidered from the list."""
    seat = _review_seat(request, partner_slug)
    candidate = selectors.access_candidate(seat, candidate_id)
    if request.method == "GET":
        return _dismiss_page(request, seat, candidate, DismissForm(initial={"confirm": True}))
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _dismiss_page(request, seat, candidate, form, status=400)
    if not form.cleaned_data["confirm"]:
        asking = DismissForm(initial={"confirm": True, "note": form.cleaned_data["note"]})
        return _dismiss_page(request, seat, candidate, asking)
    try:
        services.candidate_dismiss(seat=seat, candidate=candidate, note=form.cleaned_data["note"])
    except InvalidInput as exc:
        show_service_errors(form, exc)
        return _dismiss_page(request, seat, candidate, form, status=400)
    except Conflict as exc:
        candidate = selectors.access_candidate(seat, candidate.pk)
        return _dismiss_page(
            request,
            seat,
            candidate,
            form,
            error=_("Nothing was changed: %(reason)s") % {"reason": exc.message},
            status=409,
        )
    messages.success(
        request,
        _("%(name)s was dismissed for this month. You can reconsider it under “Dismissed”.")
        % {"name": selectors.subject_name(candidate)},
    )
    return redirect("changemaker_candidates", partner_slug=seat.partner.slug)


@login_required
@require_POST
def candidate_restore(request, partner_slug, candidate_id):
    """Undo a dismissal: the candidate is back among the new ones."""
    seat = _review_seat(request, partner_slug)
    candidate = selectors.access_candidate(seat, candidate_id)
    try:
        services.candidate_restore(seat=seat, candidate=candidate)
    except Conflict as exc:
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": exc.message})
        return redirect("changemaker_candidates", partner_slug=seat.partner.slug)
    messages.success(
        request,
        _("%(name)s is back among the new candidates.")
        % {"name": selectors.subject_name(candidate)},
    )
    return redirect("changemaker_candidates", partner_slug=seat.partner.slug)
