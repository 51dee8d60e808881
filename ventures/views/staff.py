"""Pages for partner staff and liaisons: the ventures of their cohorts (read-only), the asks
waiting for the partner's check, one ask with its pledges and, for a funded loan, its
repayments; and the platform admins' rate table.

Staff never plan for families: no page here edits a venture or an ask. Staff check an ask for
publication (approve, or decline with a reason) and record money movements: a pledge's money
arrived, was passed to the family, or fell through; a loan's repayments. What cannot be undone
is asked first.

Every page starts from the seat (`policy.access_partner`), fetches through `ventures.access`
(a liaison reaches only their cohorts; everyone else gets 404) and asks the policy for
capabilities; the services check again and do the writing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from ventures import access, selectors, services
from ventures.models import FundingAsk, Pledge
from ventures.staff_forms import (
    ApproveForm,
    DeclineForm,
    ExchangeRateForm,
    PledgeMarkForm,
    RepaymentForm,
    ScheduleForm,
    VentureFilterForm,
)


def _query(data, keys) -> str:
    """The filters of a list, to keep them when paging."""
    return urlencode([(key, data[key]) for key in keys if data.get(key)])


def _ask_url(seat: policy.Seat, ask_id: int) -> str:
    return reverse("staff_ask_detail", args=[seat.partner.slug, ask_id])


# The ventures of the seat's cohorts ------------------------------------------------------------


@login_required
@require_GET
def staff_ventures(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.view")
    cohorts = list(selectors.staff_cohort_choices(seat))
    form = VentureFilterForm(request.GET, cohorts=cohorts)
    status = 200 if form.is_valid() else 400
    data = form.cleaned_data  # a filter that failed is left out; the others still apply
    cohort = next((c for c in cohorts if c.pk == data.get("cohort")), None)
    ventures = selectors.ventures_for_staff_page(
        seat, cohort=cohort, ask_state=data.get("state") or ""
    )
    context = {
        "seat": seat,
        "filter_form": form,
        "filtered": bool(cohort or data.get("state")),
        "page": page_of(request, ventures),
        "query": _query(request.GET, [key for key in ("cohort", "state") if key in data]),
        "can_review": seat.can("ask.review"),
    }
    return render(request, "ventures/staff/ventures.html", context, status=status)


# Checking asks ---------------------------------------------------------------------------------


@login_required
@require_GET
def ask_review_queue(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "ask.review")
    context = {
        "seat": seat,
        "page": page_of(request, selectors.asks_waiting_for_review(seat)),
    }
    return render(request, "ventures/staff/ask_review_queue.html", context)


def _repayment_rows(repayments) -> list[dict]:
    """Instalments in order; the first one not fully paid gets the form to record a payment."""
    rows, form_given = [], False
    for repayment in repayments:
        left = repayment.amount_due - repayment.amount_paid
        form = None
        if left > 0 and not form_given:
            form, form_given = RepaymentForm(repayment=repayment), True
        rows.append({"repayment": repayment, "left": left, "form": form})
    return rows


def _ask_page(request, seat, ask, *, forms=None, confirming="", error="", status=200):
    forms = forms or {}
    venture = ask.venture
    repayments = list(selectors.ask_repayments(ask))
    can_manage = seat.can("pledge.manage")
    context = {
        "seat": seat,
        "ask": ask,
        "venture": venture,
        "owners": venture.owners.all(),
        "plan": selectors.current_plan(venture),
        "ask_lines": ask.budget_lines.all(),
        "progress": selectors.ask_progress(ask),
        "reviews": ask.reviews.select_related("reviewer"),
        "pledges_page": page_of(request, selectors.staff_ask_pledges(ask), param="pledges_page"),
        "repayments": _repayment_rows(repayments),
        "can_review": ask.state == FundingAsk.State.IN_REVIEW and seat.can("ask.review"),
        "can_manage": can_manage,
        "can_schedule": can_manage
        and ask.kind == FundingAsk.Kind.LOAN
        and ask.state == FundingAsk.State.FUNDED
        and not repayments,
        "approve_form": forms.get("approve") or ApproveForm(),
        "decline_form": forms.get("decline") or DeclineForm(),
        "schedule_form": forms.get("schedule") or ScheduleForm(),
        "confirming": confirming,
        "error": error,
    }
    return render(request, "ventures/staff/ask_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_ask_detail(request, partner_slug, ask_id):
    """The ask, its venture and plan; the partner's check (approve, or decline with a reason);
    pledges; a funded loan's repayment schedule. Nothing here changes what the family asked."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.view")
    ask = access.access_ask_for_staff_page(seat, ask_id)
    if request.method == "GET":
        return _ask_page(request, seat, ask)

    action = request.POST.get("action")
    forms_by_action = {"approve": ApproveForm, "decline": DeclineForm, "schedule": ScheduleForm}
    if action not in forms_by_action:
        return _ask_page(
            request, seat, ask, error=_("Choose what to do with this ask."), status=400
        )
    policy.require(seat, "pledge.manage" if action == "schedule" else "ask.review")
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        return _ask_page(request, seat, ask, forms={action: form}, status=400)
    if action in ("approve", "schedule") and not form.confirmed:
        return _ask_page(request, seat, ask, forms={action: form}, confirming=action)
    try:
        if action == "schedule":
            instalments = services.repayment_schedule_create(
                seat=seat, ask=ask, first_due_on=form.cleaned_data["first_due_on"]
            )
            done = _("The repayment schedule has %(n)d instalments.") % {"n": len(instalments)}
        else:
            services.ask_review(
                seat=seat,
                ask=ask,
                decision=action,
                reason=form.cleaned_data.get("reason", ""),
            )
            if action == "approve":
                done = _("The ask of %(venture)s is published: friends see it first.")
            else:
                done = _("The ask of %(venture)s was declined; the family sees your reason.")
            done = done % {"venture": ask.venture.name}
    except InvalidInput as exc:
        show_service_errors(form, exc)
        return _ask_page(request, seat, ask, forms={action: form}, status=400)
    except Conflict as exc:
        # Someone acted first: show the ask as it is now, and say so.
        ask = access.access_ask_for_staff_page(seat, ask.pk)
        return _ask_page(
            request,
            seat,
            ask,
            error=_("Nothing was changed: %(reason)s") % {"reason": exc.message},
            status=409,
        )
    messages.success(request, done)
    if action == "schedule" or not seat.can("ask.review"):
        return redirect(_ask_url(seat, ask.pk))
    return redirect("ask_review_queue", partner_slug=seat.partner.slug)


# Money movements -------------------------------------------------------------------------------


@login_required
@require_POST
def pledge_mark(request, partner_slug, pledge_id):
    """Record that a pledge's money arrived, was passed to the family, or fell through. None of
    them can be undone: the page asks first."""
    seat = policy.access_partner(request.user, partner_slug)
    pledge = access.access_pledge_for_staff_page(seat, pledge_id)
    policy.require(seat, "pledge.manage")
    form = PledgeMarkForm(request.POST)
    error, status, confirming = "", 400, False
    if form.is_valid():
        if not form.confirmed:
            confirming, status = True, 200
        else:
            try:
                pledge = services.pledge_mark(
                    seat=seat, pledge=pledge, status=form.cleaned_data["status"]
                )
            except Conflict as exc:
                error, status = exc.message, 409
            except InvalidInput as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The pledge of %(amount)s is marked: %(status)s.")
                    % {
                        "amount": formatting.money(pledge.amount, pledge.currency),
                        "status": pledge.get_status_display(),
                    },
                )
                return redirect(_ask_url(seat, pledge.ask_id))
    chosen = form.cleaned_data.get("status", "")
    context = {
        "seat": seat,
        "pledge": pledge,
        "ask": pledge.ask,
        "form": form,
        "confirming": confirming,
        "chosen": chosen,
        "chosen_label": dict(Pledge.Status.choices).get(chosen, ""),
        "error": error,
    }
    return render(request, "ventures/staff/pledge_mark.html", context, status=status)


@login_required
@require_POST
def repayment_record(request, partner_slug, repayment_id):
    """Record what the family repaid of one instalment of its loan (asks first)."""
    seat = policy.access_partner(request.user, partner_slug)
    repayment = access.access_repayment_for_staff_page(seat, repayment_id)
    policy.require(seat, "pledge.manage")
    form = RepaymentForm(request.POST, repayment=repayment)
    error, status, confirming, amount = "", 400, False, None
    if form.is_valid():
        try:
            amount = services.money(
                form.cleaned_data["amount"],
                "amount",
                ceiling=seat.partner.survey_money_ceiling,
            )
        except InvalidInput as exc:
            show_service_errors(form, exc)
        else:
            if not form.confirmed:
                confirming, status = True, 200
            else:
                try:
                    services.repayment_record(
                        seat=seat,
                        repayment=repayment,
                        amount=amount,
                        paid_on=form.cleaned_data["paid_on"],
                    )
                except InvalidInput as exc:
                    show_service_errors(form, exc)
                except Conflict as exc:
                    error, status = exc.message, 409
                else:
                    messages.success(
                        request,
                        _("A repayment of %(amount)s is recorded.")
                        % {"amount": formatting.money(amount, repayment.ask.currency)},
                    )
                    return redirect(_ask_url(seat, repayment.ask_id))
    context = {
        "seat": seat,
        "repayment": repayment,
        "ask": repayment.ask,
        "left": repayment.amount_due - repayment.amount_paid,
        "form": form,
        "amount": amount,
        "confirming": confirming,
        "error": error,
    }
    return render(request, "ventures/staff/repayment_record.html", context, status=status)


# The platform admins' rate table ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exchange_rates(request):
    """Approximate US dollars per unit of each currency, so that funders abroad see what an ask
    is worth. Platform admins only (404 for anyone else)."""
    policy.require_platform_admin(request.user)
    form = ExchangeRateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rate = services.exchange_rate_set(
                    user=request.user,
                    currency=form.cleaned_data["currency"],
                    usd_per_unit=form.cleaned_data["usd_per_unit"],
                )
            except InvalidInput as exc:
                show_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("1 %(currency)s is now about %(rate)s US dollars.")
                    % {"currency": rate.currency, "rate": rate.usd_per_unit},
                )
                return redirect("exchange_rates")
        else:
            status = 400
    page = page_of(request, selectors.exchange_rates())
    for rate in page:
        rate.shown = f"{rate.usd_per_unit.normalize():f}"  # 0.05800000 -> 0.058; 20 stays 20
    context = {"form": form, "page": page}
    return render(request, "ventures/staff/exchange_rates.html", context, status=status)
