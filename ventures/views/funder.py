"""The funders' pages: open asks (on their home page) and an ask, with a pledge form.

A funder is a user with a FunderProfile; anyone else gets 404 here. Funders see asks once they
are public (after the friends-first days), and an ask they pledged to after that; never drafts,
asks waiting for the partner's check, or the owner families' names and photos.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors as account_selectors
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput, NotFound
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from ventures import selectors, services
from ventures.access import access_ask_for_funder
from ventures.forms import AskFilterForm, PledgeForm
from ventures.models import FundingAsk


def funder_of(user):
    """The user's funder profile, or 404 for anyone who is not a funder."""
    funder = account_selectors.funder_profile_for(user) if user.is_authenticated else None
    if funder is None:
        raise NotFound(_("Not found."))
    return funder


def funder_home_context(request, funder) -> tuple[dict, int]:
    """Open asks with the funder's filters, and the funder's pledges (for the funder's home)."""
    form = AskFilterForm(
        request.GET if request.GET else None, countries=selectors.funder_ask_countries()
    )
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    filters = form.filters() if form.is_bound else {}
    query = request.GET.copy()
    for param in ("page", "pledges"):
        query.pop(param, None)
    context = {
        "filter_form": form,
        "asks": page_of(request, selectors.open_asks_for_funders(**filters)),
        "query": query.urlencode(),
        "pledges": page_of(request, selectors.funder_pledges(request.user), param="pledges"),
    }
    return context, status


@login_required
@require_http_methods(["GET", "POST"])
def funder_ask_detail(request, ask_id):
    funder = funder_of(request.user)
    ask = access_ask_for_funder(request.user, ask_id)
    venture = ask.venture
    form = PledgeForm(request.POST or None, currency=ask.currency)
    status = 200
    if request.method == "POST" and not ask.is_public:
        messages.error(request, _("This ask no longer takes pledges."))
        return redirect("funder_ask_detail", ask_id=ask.pk)
    if request.method == "POST":
        if form.is_valid():
            try:
                pledge = services.pledge_create(
                    user=request.user, ask=ask, amount=form.cleaned_data["amount"]
                )
            except (InvalidInput, Conflict) as error:
                show_service_errors(form, error)
                if isinstance(error, Conflict):
                    form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Thank you: you pledged %(amount)s to %(venture)s.")
                    % {
                        "amount": formatting.money(pledge.amount, pledge.currency),
                        "venture": venture,
                    },
                )
                return redirect("funder_ask_detail", ask_id=ask.pk)
        else:
            status = 400
    plan = selectors.current_plan(venture)
    my_pledges = list(selectors.funder_pledges_on(request.user, ask))
    repayments = []
    if ask.kind == FundingAsk.Kind.LOAN and my_pledges:
        repayments = list(selectors.ask_repayments(ask))
    context = {
        "funder": funder,
        "ask": ask,
        "venture": venture,
        "partner": ask.partner,
        "progress": selectors.ask_progress(ask),
        "budget_lines": ask.budget_lines.all(),
        "milestones": plan.milestones.all() if plan else [],
        "summary": selectors.venture_updates_summary(venture),
        "my_pledges": my_pledges,
        "repayments": repayments,
        "repayments_paid": sum(1 for r in repayments if r.amount_paid >= r.amount_due),
        "form": form if ask.is_public else None,
    }
    return render(request, "ventures/funder/ask_detail.html", context, status=status)
