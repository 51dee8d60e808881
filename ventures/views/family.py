"""The families' venture pages: their ventures and their cohort's, a new venture with its plan,
the plan's history, monthly updates, funding asks and what happens to them.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member:
staff, liaisons and funders included) and fetches objects with the access helpers (404 for
anything the family may not see). Only owner families change a venture (403 for the other
families who may see it); the services check it again. Views parse input, call one service and
render.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from families.access import FamilySeat, family_seat
from mutuality import formatting
from mutuality.errors import ApplicationError, Conflict, InvalidInput, NotAllowed
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from surveys import charts
from ventures import selectors, services
from ventures.access import (
    access_ask_for_family_reader,
    access_milestone_for_family,
    access_venture_for_family,
)
from ventures.forms import (
    AskForm,
    BudgetLineFormSet,
    ConfirmForm,
    MilestoneDoneForm,
    MilestoneFormSet,
    PlanForm,
    VentureForm,
    VentureUpdateForm,
    formset_rows,
)
from ventures.models import FundingAsk, Venture

PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MONTH = re.compile(r"^\d{4}-\d{2}$")
CHART_MONTHS = 24
# Service errors shown on top of a formset rather than next to a field.
PLAN_ROWS = ("budget_lines", "milestones")


def _require_owner(seat: FamilySeat, venture: Venture) -> None:
    if not policy.family_owns_venture(seat.family, venture):
        raise NotAllowed(_("Only the venture's owner families can change it."))


def _place_errors(error: ApplicationError, forms: list, row_errors: dict) -> None:
    """Each of a service's errors next to the field it names (on whichever form has it), on top
    of the budget lines or milestones, or on top of the first form."""
    if not error.errors:
        forms[0].add_error(None, error.message)
        return
    for key, found in error.errors.items():
        if key in row_errors:
            row_errors[key].extend(found)
            continue
        target = next((form for form in forms if key in form.fields), None)
        for message in found:
            if target is None:
                forms[0].add_error(None, message)
            else:
                target.add_error(key, message)


def _plan_input(plan_form, lines, milestones) -> services.PlanInput:
    revenue = plan_form.cleaned_data.get("expected_monthly_revenue")
    return services.PlanInput(
        budget_lines=formset_rows(lines),
        milestones=formset_rows(milestones),
        expected_monthly_revenue=revenue if revenue is not None else "0",
    )


def _plan_forms(request, venture_currency: str, *, plan=None):
    """The plan's form and rows: from the POST, or prefilled from the current plan."""
    if request.method == "POST":
        return (
            PlanForm(request.POST, currency=venture_currency),
            BudgetLineFormSet(request.POST, prefix="lines"),
            MilestoneFormSet(request.POST, prefix="milestones"),
        )
    if plan is None:
        return (
            PlanForm(currency=venture_currency),
            BudgetLineFormSet(prefix="lines"),
            MilestoneFormSet(prefix="milestones"),
        )
    return (
        PlanForm(
            currency=venture_currency,
            initial={"expected_monthly_revenue": plan.expected_monthly_revenue},
        ),
        BudgetLineFormSet(
            prefix="lines",
            initial=[
                {"item": line.item, "amount": line.amount} for line in plan.budget_lines.all()
            ],
        ),
        MilestoneFormSet(
            prefix="milestones",
            initial=[{"what": m.what, "due_on": m.due_on} for m in plan.milestones.all()],
        ),
    )


# The list ----------------------------------------------------------------------------------------


@login_required
@require_GET
def family_ventures(request):
    seat = family_seat(request.user)
    family = seat.family
    others = selectors.ventures_visible_to_family(seat).exclude(owners=family)
    friends_asks = selectors.asks_visible_to_family(seat).exclude(venture__owners=family)
    context = {
        "seat": seat,
        "family": family,
        "currency": seat.partner.currency,
        "mine": page_of(request, selectors.family_ventures(family), param="mine"),
        "others": page_of(request, others),
        "asks": page_of(request, friends_asks, param="asks"),
    }
    return render(request, "ventures/family/venture_list.html", context)


# A new venture -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def venture_new(request):
    seat = family_seat(request.user)
    currency = seat.partner.currency
    form = VentureForm(
        request.POST if request.method == "POST" else None,
        co_owner_choices=selectors.co_owner_choices(seat.family),
    )
    plan_form, lines, milestones = _plan_forms(request, currency)
    row_errors = {name: [] for name in PLAN_ROWS}
    status = 200
    if request.method == "POST":
        valid = [form.is_valid(), plan_form.is_valid(), lines.is_valid(), milestones.is_valid()]
        if all(valid):
            data = form.cleaned_data
            try:
                venture = services.venture_create(
                    seat=seat,
                    name=data["name"],
                    kind=data["kind"],
                    sector=data["sector"],
                    description=data["description"],
                    location=data["location"],
                    started_on=data["started_on"],
                    visibility=data["visibility"],
                    co_owner_ids=[family.pk for family in data.get("co_owners") or []],
                    plan=_plan_input(plan_form, lines, milestones),
                )
            except InvalidInput as error:
                _place_errors(error, [form, plan_form], row_errors)
                status = error.status_code
            else:
                messages.success(
                    request, _("Your venture “%(name)s” is saved.") % {"name": venture.name}
                )
                return redirect("venture_detail", venture_id=venture.pk)
        else:
            status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "currency": currency,
        "form": form,
        "plan_form": plan_form,
        "lines": lines,
        "milestones": milestones,
        "row_errors": row_errors,
    }
    return render(request, "ventures/family/venture_form.html", context, status=status)


# A venture ---------------------------------------------------------------------------------------


def _plan_changes(versions: list, currency: str) -> list[dict]:
    """Each version of the plan (newest first) with what changed since the one before."""
    rows = []
    previous = None
    for version in sorted(versions, key=lambda v: v.number):
        changes = []
        lines = {line.item: line.amount for line in version.budget_lines.all()}
        steps = {m.what: m.due_on for m in version.milestones.all()}
        if previous is None:
            changes.append(_("The first plan."))
        else:
            old_lines = {line.item: line.amount for line in previous.budget_lines.all()}
            old_steps = {m.what: m.due_on for m in previous.milestones.all()}
            for item, amount in lines.items():
                if item not in old_lines:
                    changes.append(
                        _("Budget line added: %(item)s, %(amount)s.")
                        % {"item": item, "amount": formatting.money(amount, currency)}
                    )
                elif old_lines[item] != amount:
                    changes.append(
                        _("%(item)s: %(change)s.")
                        % {
                            "item": item,
                            "change": formatting.change_of_money(old_lines[item], amount, currency),
                        }
                    )
            for item in old_lines.keys() - lines.keys():
                changes.append(_("Budget line removed: %(item)s.") % {"item": item})
            for what, due_on in steps.items():
                if what not in old_steps:
                    changes.append(
                        _("Milestone added: %(what)s, by %(date)s.")
                        % {"what": what, "date": formatting.day(due_on)}
                    )
                elif old_steps[what] != due_on:
                    changes.append(
                        _("%(what)s: now by %(date)s.")
                        % {"what": what, "date": formatting.day(due_on)}
                    )
            for what in old_steps.keys() - steps.keys():
                changes.append(_("Milestone removed: %(what)s.") % {"what": what})
            if version.expected_monthly_revenue != previous.expected_monthly_revenue:
                changes.append(
                    _("Expected revenue per month: %(change)s.")
                    % {
                        "change": formatting.change_of_money(
                            previous.expected_monthly_revenue,
                            version.expected_monthly_revenue,
                            currency,
                        )
                    }
                )
            if not changes:
                changes.append(_("Saved again, without changes."))
        rows.append({"version": version, "changes": changes})
        previous = version
    rows.reverse()
    return rows


def _with_progress(asks) -> list[dict]:
    return [{"ask": ask, "progress": selectors.progress_of(ask)} for ask in asks]


@login_required
@require_GET
def venture_detail(request, venture_id):
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    owner = policy.family_owns_venture(seat.family, venture)
    currency = venture.partner.currency
    plan = selectors.current_plan(venture)
    budget = list(plan.budget_lines.all()) if plan else []
    updates = list(selectors.venture_updates(venture))
    recent = updates[-CHART_MONTHS:]
    chart = None
    if recent:
        chart = charts.line_chart(
            [
                (_("Revenue"), [(u.period, u.revenue) for u in recent]),
                (_("Costs"), [(u.period, u.costs) for u in recent]),
            ],
            currency,
            title=_("Revenue and costs, month by month (%(currency)s)") % {"currency": currency},
            chart_id="venture-chart",
        )
    context = {
        "seat": seat,
        "family": seat.family,
        "venture": venture,
        "owner": owner,
        "currency": currency,
        "owners": selectors.venture_owners(venture),
        "visibility_choices": Venture.Visibility.choices,
        "plan": plan,
        "budget": budget,
        "budget_total": sum((line.amount for line in budget), Decimal("0.00")),
        "milestones": list(plan.milestones.all()) if plan else [],
        "history": page_of(
            request, _plan_changes(list(selectors.plan_history(venture)), currency), param="plans"
        ),
        "chart": chart,
        "updates": page_of(request, list(reversed(updates)), param="updates"),
        "jobs": selectors.jobs_created(venture),
        "asks": _with_progress(selectors.family_venture_asks(venture, owner=owner)),
        "this_month": timezone.localdate().strftime("%Y-%m"),
    }
    return render(request, "ventures/family/venture_detail.html", context)


@login_required
@require_GET
def venture_update_photo(request, venture_id):
    """A monthly update's photo, only for families who may see the venture: photos are never
    public files."""
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    try:
        update_id = int(request.GET.get("update", ""))
    except ValueError:
        return render(request, "400.html", status=400)
    update = selectors.venture_updates(venture).filter(pk=update_id).first()
    if update is None or not update.photo:
        raise Http404
    content_type = PHOTO_TYPES.get(update.photo.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    response = FileResponse(update.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def milestone_toggle(request, milestone_id):
    seat = family_seat(request.user)
    milestone = access_milestone_for_family(seat, milestone_id)
    venture = milestone.plan.venture
    plan = selectors.current_plan(venture)
    if plan is None or plan.pk != milestone.plan_id:
        raise Conflict(_("Only the milestones of the current plan can be ticked."))
    form = MilestoneDoneForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    services.milestone_set_done(seat=seat, milestone=milestone, done=done)
    if done:
        messages.success(request, _("“%(what)s” is done. Well done!") % {"what": milestone.what})
    else:
        messages.success(request, _("“%(what)s” is not done yet.") % {"what": milestone.what})
    return redirect(reverse("venture_detail", args=[venture.pk]) + "#plan")


# Owners: the plan and the monthly updates ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def venture_plan(request, venture_id):
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    _require_owner(seat, venture)
    currency = venture.partner.currency
    plan_form, lines, milestones = _plan_forms(
        request, currency, plan=selectors.current_plan(venture)
    )
    row_errors = {name: [] for name in PLAN_ROWS}
    status = 200
    if request.method == "POST":
        if all([plan_form.is_valid(), lines.is_valid(), milestones.is_valid()]):
            try:
                version = services.venture_plan_revise(
                    seat=seat, venture=venture, plan=_plan_input(plan_form, lines, milestones)
                )
            except InvalidInput as error:
                _place_errors(error, [plan_form], row_errors)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("The plan is saved as version %(number)s. Earlier versions stay visible.")
                    % {"number": version.number},
                )
                return redirect(reverse("venture_detail", args=[venture.pk]) + "#plan")
        else:
            status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "venture": venture,
        "currency": currency,
        "plan_form": plan_form,
        "lines": lines,
        "milestones": milestones,
        "row_errors": row_errors,
    }
    return render(request, "ventures/family/plan_form.html", context, status=status)


def _month_asked(request) -> str:
    period = (request.GET.get("period") or "").strip()
    return period if MONTH.match(period) else timezone.localdate().strftime("%Y-%m")


@login_required
@require_http_methods(["GET", "POST"])
def venture_update_new(request, venture_id):
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    _require_owner(seat, venture)
    currency = venture.partner.currency
    form = VentureUpdateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        currency=currency,
        initial={"period": _month_asked(request), "household_jobs": 0, "other_jobs": 0},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                update = services.venture_post_update(
                    seat=seat,
                    venture=venture,
                    period=data["period"],
                    revenue=data["revenue"],
                    costs=data["costs"],
                    household_jobs=data["household_jobs"],
                    other_jobs=data["other_jobs"],
                    note=data["note"],
                    photo=data["photo"] or None,
                )
            except (InvalidInput, Conflict) as error:
                show_service_errors(form, error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Thank you: %(month)s is recorded.")
                    % {"month": formatting.month_name(update.period)},
                )
                return redirect(reverse("venture_detail", args=[venture.pk]) + "#updates")
        else:
            status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "venture": venture,
        "currency": currency,
        "form": form,
    }
    return render(request, "ventures/family/update_form.html", context, status=status)


# Owners: funding asks ----------------------------------------------------------------------------


def _ask_form(request, venture, *, initial=None) -> AskForm:
    plan = selectors.current_plan(venture)
    return AskForm(
        request.POST if request.method == "POST" else None,
        budget_lines=plan.budget_lines.all() if plan else None,
        currency=venture.partner.currency,
        initial=initial or {"friends_first_days": venture.partner.friends_first_days},
    )


def _ask_terms(form) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "amount": data["amount"],
        "purpose": data["purpose"],
        "deadline": data["deadline"],
        "friends_first_days": data["friends_first_days"],
        "budget_line_ids": [line.pk for line in data.get("budget_lines") or []],
        "repayment_months": data["repayment_months"],
    }


def _render_ask_form(request, seat, venture, form, *, ask=None, status=200):
    context = {
        "seat": seat,
        "family": seat.family,
        "venture": venture,
        "ask": ask,
        "currency": venture.partner.currency,
        "form": form,
    }
    return render(request, "ventures/family/ask_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request, venture_id):
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    _require_owner(seat, venture)
    form = _ask_form(request, venture)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ask = services.ask_create(seat=seat, venture=venture, **_ask_terms(form))
            except InvalidInput as error:
                show_service_errors(form, error)
                status = error.status_code
            else:
                return redirect("ask_send", ask_id=ask.pk)
        else:
            status = 400
    return _render_ask_form(request, seat, venture, form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ask_edit(request, ask_id):
    """Change a draft, or an ask the partner did not approve, before sending it (again)."""
    seat = family_seat(request.user)
    ask, owner = access_ask_for_family_reader(seat, ask_id)
    if not owner:
        raise NotAllowed(_("Only the venture's owner families can change it."))
    if ask.state not in (FundingAsk.State.DRAFT, FundingAsk.State.DECLINED):
        messages.error(request, _("Only a draft or an ask that was not approved can be changed."))
        return redirect("family_ask_detail", ask_id=ask.pk)
    initial = {
        "kind": ask.kind,
        "amount": ask.amount,
        "purpose": ask.purpose,
        "budget_lines": list(ask.budget_lines.all()),
        "deadline": ask.deadline,
        "friends_first_days": ask.friends_first_days,
        "repayment_months": ask.repayment_months,
    }
    form = _ask_form(request, ask.venture, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.ask_revise(seat=seat, ask=ask, **_ask_terms(form))
            except InvalidInput as error:
                show_service_errors(form, error)
                status = error.status_code
            else:
                return redirect("ask_send", ask_id=ask.pk)
        else:
            status = 400
    return _render_ask_form(request, seat, ask.venture, form, ask=ask, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ask_send(request, ask_id):
    """What happens next, then "Send it": the ask goes to the partner's check, or opens."""
    seat = family_seat(request.user)
    ask, owner = access_ask_for_family_reader(seat, ask_id)
    if not owner:
        raise NotAllowed(_("Only the venture's owner families can change it."))
    if ask.state not in (FundingAsk.State.DRAFT, FundingAsk.State.DECLINED):
        if request.method == "POST":
            messages.error(request, _("This ask was already sent."))
        return redirect("family_ask_detail", ask_id=ask.pk)
    if request.method == "POST":
        ask = services.ask_submit(seat=seat, ask=ask)
        if ask.state == FundingAsk.State.IN_REVIEW:
            messages.success(request, _("Sent. Your partner checks it, then it opens."))
        else:
            messages.success(request, _("Sent. Your ask is open."))
        return redirect("family_ask_detail", ask_id=ask.pk)
    context = {
        "seat": seat,
        "family": seat.family,
        "ask": ask,
        "venture": ask.venture,
        "partner": ask.venture.partner,
        "form": ConfirmForm(),
    }
    return render(request, "ventures/family/ask_send.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_ask_close(request, ask_id):
    seat = family_seat(request.user)
    ask, owner = access_ask_for_family_reader(seat, ask_id)
    if not owner:
        raise NotAllowed(_("Only the venture's owner families can change it."))
    if ask.state in (FundingAsk.State.CLOSED, FundingAsk.State.EXPIRED):
        return redirect("family_ask_detail", ask_id=ask.pk)
    if request.method == "POST":
        services.ask_close(seat=seat, ask=ask)
        messages.success(request, _("The ask is closed. Funders no longer see it."))
        return redirect("family_ask_detail", ask_id=ask.pk)
    context = {
        "seat": seat,
        "family": seat.family,
        "ask": ask,
        "venture": ask.venture,
        "progress": selectors.ask_progress(ask),
    }
    return render(request, "ventures/family/ask_close.html", context)


@login_required
@require_GET
def family_ask_detail(request, ask_id):
    seat = family_seat(request.user)
    ask, owner = access_ask_for_family_reader(seat, ask_id)
    progress = selectors.ask_progress(ask)
    pledges = selectors.ask_pledges(ask).order_by("-created_at", "-pk")
    now = timezone.now()
    context = {
        "seat": seat,
        "family": seat.family,
        "ask": ask,
        "venture": ask.venture,
        "owner": owner,
        "progress": progress,
        "friends_only": ask.state == FundingAsk.State.OPEN
        and ask.public_from is not None
        and ask.public_from > now,
        "review": selectors.ask_latest_review(ask)
        if ask.state == FundingAsk.State.DECLINED
        else None,
        "pledge_count": pledges.filter(status__in=selectors.COUNTED).count(),
        # Owners see who pledged; other families see the total only.
        "pledges": page_of(request, pledges) if owner else None,
        "budget_lines": ask.budget_lines.all(),
        "may_change": owner and ask.state in (FundingAsk.State.DRAFT, FundingAsk.State.DECLINED),
        "may_close": owner and ask.state not in (FundingAsk.State.CLOSED, FundingAsk.State.EXPIRED),
    }
    return render(request, "ventures/family/ask_detail.html", context)


@login_required
@require_POST
def venture_visibility(request, venture_id):
    """Owners change who may see the venture (funders only see asks of public ventures)."""
    seat = family_seat(request.user)
    venture = access_venture_for_family(seat, venture_id)
    services.venture_set_visibility(
        seat=seat, venture=venture, visibility=request.POST.get("visibility", "")
    )
    messages.success(request, _("Saved: who may see the venture."))
    return redirect("venture_detail", venture_id=venture.pk)
