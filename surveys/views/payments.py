"""Staff pages for payments: the partner's stipends, batches for its payment tool, the file a
batch exports, and marking a payment paid, failed or canceled (canceling asks first)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import policy
from mutuality.csv_safety import csv_response
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from surveys import access, selectors, services
from surveys.forms.staff import BatchForm, PaymentFilterForm, StipendMarkForm
from surveys.models import Stipend
from surveys.views.staff import PAGE_SIZE, _query


@login_required
@require_GET
def payments(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "payments.manage")
    form = PaymentFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    chosen = form.cleaned_data.get("status") or None
    stipends = selectors.partner_stipends(seat, status=chosen)
    context = {
        "seat": seat,
        "filter_form": form,
        "chosen": chosen,
        "page": Paginator(stipends, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": _query(request.GET, ("status",)) if status == 200 else "",
        "totals": selectors.stipend_totals(seat),
        "payable": selectors.payable_summary(seat),
        "batches_page": Paginator(selectors.payment_batch_summaries(seat), PAGE_SIZE).get_page(
            request.GET.get("batches_page")
        ),
    }
    return render(request, "surveys/staff/payments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def payment_batch_new(request, partner_slug):
    """Asks first: how many stipends and how much; the POST builds the batch."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "payments.manage")
    form = BatchForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = services.payment_batch_create(seat=seat, name=form.cleaned_data["name"])
            except Conflict as exc:
                error, status = exc.message, 409
            except InvalidInput as exc:
                show_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("The batch “%(name)s” is ready: export it for your payment tool.")
                    % {"name": batch.name},
                )
                return redirect("payment_batch", partner_slug=seat.partner.slug, batch_id=batch.pk)
        else:
            status = 400
    context = {
        "seat": seat,
        "form": form,
        "payable": selectors.payable_summary(seat),
        "error": error,
    }
    return render(request, "surveys/staff/payment_batch_new.html", context, status=status)


@login_required
@require_GET
def payment_batch(request, partner_slug, batch_id):
    seat = policy.access_partner(request.user, partner_slug)
    batch = access.access_batch(seat, batch_id)
    policy.require(seat, "payments.manage")
    context = {
        "seat": seat,
        "batch": batch,
        "page": Paginator(selectors.batch_stipends(batch), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "totals": selectors.stipend_totals(seat, batch=batch),
        "outcomes": StipendMarkForm().fields["status"].choices,
        "scheduled": Stipend.Status.SCHEDULED,
    }
    return render(request, "surveys/staff/payment_batch.html", context)


@login_required
@require_GET
def payment_batch_export(request, partner_slug, batch_id):
    seat = policy.access_partner(request.user, partner_slug)
    batch = access.access_batch(seat, batch_id)
    policy.require(seat, "payments.manage")
    filename = f"payments-{batch.pk}-{slugify(batch.name) or 'batch'}.csv"
    return csv_response(
        filename, header=selectors.PAYMENT_HEADER, rows=selectors.payment_batch_rows(batch)
    )


@login_required
@require_POST
def stipend_mark(request, partner_slug, stipend_id):
    """Mark a scheduled payment paid, failed or canceled; canceling asks first."""
    seat = policy.access_partner(request.user, partner_slug)
    stipend = access.access_stipend_for_staff(seat, stipend_id)
    policy.require(seat, "payments.manage")
    form = StipendMarkForm(request.POST)
    error, status, confirming = "", 400, False
    if form.is_valid():
        if form.needs_confirmation:
            confirming, status = True, 200
        else:
            try:
                stipend = services.stipend_mark(
                    seat=seat,
                    stipend=stipend,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except Conflict as exc:
                error, status = exc.message, 409
            except InvalidInput as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The payment to %(family)s is marked: %(status)s.")
                    % {"family": stipend.family.name, "status": stipend.get_status_display()},
                )
                return redirect(
                    "payment_batch", partner_slug=seat.partner.slug, batch_id=stipend.batch_id
                )
    context = {
        "seat": seat,
        "stipend": stipend,
        "form": form,
        "confirming": confirming,
        "error": error,
    }
    return render(request, "surveys/staff/stipend_mark.html", context, status=status)
