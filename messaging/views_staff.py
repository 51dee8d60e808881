"""What staff see of messages: a family's channel and its last messages, the partner's texts
and their cost per month, and on demo sites the console of what would have been sent."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import policy
from families import access
from messaging import selectors
from mutuality import formatting
from mutuality.errors import NotFound


def cost_text(amount: Decimal | None, currency: str) -> str:
    """A text costs fractions of a cent: `$0.0075`, not the `$0.01` of the currency's digits."""
    if amount is None or not currency:
        return ""
    places = max(get_currency_precision(currency), -min(0, amount.normalize().as_tuple().exponent))
    return format_currency(
        amount.quantize(Decimal(1).scaleb(-places)),
        currency,
        locale=formatting.active_locale(),
        decimal_quantization=False,
    )


def _rows(page, *, show_text, zone_of) -> list[dict]:
    return [
        {
            "message": message,
            "zone": zone_of(message),
            "notice": selectors.notice_name(message.template, message.direction),
            "text": show_text(message),
            "cost": cost_text(message.cost, message.cost_currency),
        }
        for message in page.object_list
    ]


@login_required
@require_GET
def family_messages(request, partner_slug, family_id):
    seat = policy.access_partner(request.user, partner_slug)
    family = access.access_family_for_staff(seat, family_id)
    policy.require(seat, "messages.view")
    paginator = Paginator(selectors.family_messages(family), selectors.FAMILY_MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "seat": seat,
        "family": family,
        "channel": selectors.family_notice_channel(family),
        "page": page,
        "rows": _rows(
            page,
            show_text=selectors.text_for_staff,
            zone_of=lambda message: seat.partner.timezone,
        ),
    }
    return render(request, "messaging/staff/family_messages.html", context)


@login_required
@require_GET
def message_usage(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "messages.usage")
    months = [
        {
            "usage": usage,
            "costs": [cost_text(amount, currency) for currency, amount in usage.costs.items()],
        }
        for usage in selectors.partner_usage(seat.partner)
    ]
    context = {"seat": seat, "months": months, "zone": seat.partner.timezone}
    return render(request, "messaging/staff/message_usage.html", context)


@require_GET
def demo_messages(request):
    """The console backend's messages as a page: a demo site sends nothing for real, so this is
    where a visitor reads the sign-in code or the notice it would have texted. Elsewhere the
    page does not exist, for anyone."""
    if not settings.DEMO_MODE:
        raise NotFound(_("Not found."))
    return _demo_messages(request)


@login_required
def _demo_messages(request):
    messages = selectors.demo_console_messages(request.user)
    if messages is None:
        raise NotFound(_("Not found."))
    paginator = Paginator(messages, selectors.CONSOLE_MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(
        page,
        show_text=lambda message: message.body,
        # A sign-in code has no partner: the site's own time zone then.
        zone_of=lambda message: message.partner.timezone if message.partner else None,
    )
    context = {"page": page, "rows": rows}
    return render(request, "messaging/demo_messages.html", context)
