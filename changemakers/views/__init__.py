"""Pages for partner staff and liaisons: a cohort's phase and its readiness for phase II, sharing
what other families did (phase II only), peer consultants, and the practice catalogue.

Every page starts from the seat (`policy.access_partner`) and fetches cohorts and families through
`families.access` (liaisons reach only their cohorts; everyone else gets 404). The phase table of
the policy decides what staff may do in a cohort; the services check again and do the writing.
No page here has a field for advice."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from changemakers import selectors, services
from changemakers.forms import (
    PeerInviteForm,
    PhaseChangeForm,
    PracticeChoiceForm,
    PracticeForm,
    PracticeShareForm,
    language_name,
)
from families import access as family_access
from families import selectors as family_selectors
from families import services as family_services
from mutuality import formatting
from mutuality.errors import ApplicationError, Conflict
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from surveys import selectors as survey_selectors
from surveys import services as survey_services


def _status(error: ApplicationError | None, form) -> int:
    """The service's status when it refused; 400 for input the form refused; else 200."""
    if error is not None:
        return error.status_code
    if form is not None and form.errors:
        return 400
    return 200


# Readiness, in words ----------------------------------------------------------------------------

# (key in the readiness figures, label, whether "up" is the good direction)
SIGNALS = [
    ("practice_share", gettext_lazy("Families reporting practices"), True),
    ("help_exchanges", gettext_lazy("Help between families"), True),
    ("help_across_groups", gettext_lazy("Help across groups"), True),
    ("posts", gettext_lazy("Posts by families"), True),
    ("requests_to_staff", gettext_lazy("Requests to staff"), False),
]


def _trend_words(trend: str, up_is_good: bool) -> tuple[str, bool | None]:
    """('going up', True): the trend in words, and whether it goes the good way."""
    if trend == "up":
        return _("going up"), up_is_good
    if trend == "down":
        return _("going down"), not up_is_good
    return _("steady"), None


def _month_value(key: str, month: dict) -> str:
    if key == "practice_share":
        families = month.get("families", 0)
        reporting = month.get("families_reporting_practices", 0)
        share = Decimal(str(month.get("practice_share", 0) or 0))
        return _("%(n)s of %(total)s (%(percent)s)") % {
            "n": formatting.number(reporting),
            "total": formatting.number(families),
            "percent": formatting.percent(share),
        }
    return formatting.number(month.get(key, 0))


def readiness_table(figures: dict) -> dict:
    """The readiness figures as a table: a row per signal, a column per month, and the trend
    of each in words (fewer requests to staff is the good direction)."""
    months = (figures or {}).get("months") or []
    trends = (figures or {}).get("trend") or {}
    rows = []
    for key, label, up_is_good in SIGNALS:
        words, good = _trend_words(trends.get(key, "steady"), up_is_good)
        rows.append(
            {
                "label": label,
                "values": [_month_value(key, month) for month in months],
                "trend": words,
                "good": good,
                "fewer_is_better": not up_is_good,
            }
        )
    return {
        "months": [formatting.month_name(month.get("month", "")) for month in months],
        "rows": rows,
    }


# The phase page ---------------------------------------------------------------------------------


def _phase_page(request, seat, cohort, *, form, error=None, status=200):
    months = selectors.months_since_start(cohort)
    minimum = seat.partner.months_before_phase_two
    history = page_of(request, selectors.phase_history(cohort), param="history_page")
    changes = [
        {"change": change, "readiness": readiness_table(change.readiness)}
        for change in history.object_list
    ]
    context = {
        "seat": seat,
        "cohort": cohort,
        "months": months,
        "minimum": minimum,
        "early": cohort.phase == policy.PHASE_I and months < minimum,
        "readiness": readiness_table(selectors.readiness(cohort)),
        "history": history,
        "changes": changes,
        "form": form,
        "error": error.message if isinstance(error, Conflict) else "",
        "can_change": seat.can("cohort.change_phase"),
    }
    return render(request, "changemakers/cohort_phase.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_phase(request, partner_slug, cohort_id):
    """The cohort's phase, its readiness for phase II and the history of changes. Staff move it
    (with an explicit confirmation); liaisons read the page."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = family_access.access_cohort(seat, cohort_id)
    target = policy.PHASE_II if cohort.phase == policy.PHASE_I else policy.PHASE_I
    early = (
        target == policy.PHASE_II
        and selectors.months_since_start(cohort) < seat.partner.months_before_phase_two
    )
    if request.method == "GET":
        form = None
        if seat.can("cohort.change_phase"):
            form = PhaseChangeForm(target=target, early=early)
        return _phase_page(request, seat, cohort, form=form)

    policy.require(seat, "cohort.change_phase")
    form = PhaseChangeForm(request.POST, target=target, early=early)
    error = None
    if form.is_valid():
        try:
            services.cohort_change_phase(seat=seat, cohort=cohort, **form.service_kwargs())
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            cohort.refresh_from_db(fields=["phase"])
            messages.success(
                request,
                _("%(cohort)s is now in %(phase)s.")
                % {"cohort": cohort.name, "phase": cohort.get_phase_display()},
            )
            return redirect("cohort_phase", partner_slug=seat.partner.slug, cohort_id=cohort.pk)
    return _phase_page(request, seat, cohort, form=form, error=error, status=_status(error, form))


# Sharing what families did ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice_share(request, partner_slug, cohort_id):
    """Phase II only (403 in phase I, whoever asks): choose a practice, read what families
    elsewhere did, and tell the cohort in a few words. It goes to the cohort's feed."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = family_access.access_cohort(seat, cohort_id)
    policy.require_phase(seat, cohort, "practice.share")
    choices = survey_selectors.practice_choices(seat.partner)
    error = None
    share_form = None
    if request.method == "POST":
        share_form = PracticeShareForm(request.POST, choices=choices)
        slug = request.POST.get("practice", "")
        choose_form = PracticeChoiceForm({"practice": slug}, choices=choices)
        if share_form.is_valid():
            practice = survey_selectors.practice_by_slug(seat.partner, slug)
            try:
                services.best_practice_share(
                    seat=seat,
                    cohort=cohort,
                    practice=practice,
                    body=share_form.cleaned_data["body"],
                )
            except ApplicationError as exc:
                error = exc
                show_service_errors(share_form, exc)
            else:
                messages.success(
                    request,
                    _("What families did is shared with %(cohort)s: it is in their feed.")
                    % {"cohort": cohort.name},
                )
                return redirect(
                    "cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk
                )
        status = _status(error, share_form)
    else:
        choose_form = PracticeChoiceForm(
            request.GET if "practice" in request.GET else None, choices=choices
        )
        slug = ""
        status = 200
        if choose_form.is_bound:
            if choose_form.is_valid():
                slug = choose_form.cleaned_data["practice"]
                share_form = PracticeShareForm(initial={"practice": slug}, choices=choices)
            else:
                status = 400
    practice = survey_selectors.practice_by_slug(seat.partner, slug) if slug else None
    context = {
        "seat": seat,
        "cohort": cohort,
        "choose_form": choose_form,
        "share_form": share_form if practice is not None else None,
        "practice": practice,
        "practice_context": selectors.practice_context(cohort, practice) if practice else None,
        "shares": page_of(request, selectors.cohort_shares(cohort), param="shares_page"),
    }
    return render(request, "changemakers/practice_share.html", context, status=status)


# Peer consultants -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def peer_invite(request, partner_slug, family_id):
    """Ask a family of an earlier demonstration to consult a newer cohort; the family decides."""
    seat = policy.access_partner(request.user, partner_slug)
    family = family_access.access_family_for_staff(seat, family_id)
    policy.require(seat, "peer.invite")
    cohorts = family_selectors.later_cohorts(family)
    form = PeerInviteForm(request.POST if request.method == "POST" else None, cohorts=cohorts)
    error = None
    if request.method == "POST" and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        try:
            family_services.peer_invite(seat=seat, family=family, cohort=cohort)
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(family)s is invited to consult %(cohort)s. The family decides.")
                % {"family": family.name, "cohort": cohort.name},
            )
            return redirect(
                "cohort_peer_consultants", partner_slug=seat.partner.slug, cohort_id=cohort.pk
            )
    context = {
        "seat": seat,
        "family": family,
        "form": form,
        "has_cohorts": cohorts.exists(),
        "consultancies": family_selectors.family_consultancies(family),
    }
    return render(request, "changemakers/peer_invite.html", context, status=_status(error, form))


@login_required
@require_GET
def cohort_peer_consultants(request, partner_slug, cohort_id):
    """The families of earlier demonstrations invited to consult this cohort, and their answer."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = family_access.access_cohort(seat, cohort_id)
    context = {
        "seat": seat,
        "cohort": cohort,
        "page": page_of(request, family_selectors.cohort_peer_consultants(cohort)),
        "can_open_families": seat.can("cohort.view_all"),
    }
    return render(request, "changemakers/cohort_peer_consultants.html", context)


# The practice catalogue -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice_catalogue(request, partner_slug):
    """The platform's practices and the partner's own, named in the partner's languages; staff
    add the partner's own."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.view")
    languages = list(seat.partner.languages)
    # (Also makes sure the platform's practices exist before a partner's own is named.)
    catalogue = survey_selectors.practice_catalogue(seat.partner)
    form = None
    error = None
    if request.method == "POST":
        policy.require(seat, "practice.manage")
        form = PracticeForm(request.POST, languages=languages)
        if form.is_valid():
            try:
                practice = survey_services.practice_create(seat=seat, **form.service_kwargs())
            except ApplicationError as exc:
                error = exc
                if isinstance(exc, Conflict):
                    form.add_error(None, exc.message)
                else:
                    show_service_errors(form, exc)
            else:
                messages.success(
                    request, _("“%(name)s” is in your catalogue.") % {"name": practice.name}
                )
                return redirect("practice_catalogue", partner_slug=seat.partner.slug)
    elif seat.can("practice.manage"):
        form = PracticeForm(languages=languages)
    page = page_of(request, catalogue)
    rows = [
        {
            "practice": practice,
            "names": [practice.names.get(code, "") for code in languages],
            "own": practice.partner_id is not None,
        }
        for practice in page.object_list
    ]
    context = {
        "seat": seat,
        "languages": [language_name(code) for code in languages],
        "page": page,
        "rows": rows,
        "form": form,
    }
    return render(
        request, "changemakers/practice_catalogue.html", context, status=_status(error, form)
    )
