"""`{% load formatting %}`: numbers, money and dates as the reader's language writes them.

    {{ stipend.amount|money:stipend.currency }}    $2,500.00 / 2.500,00 US$ / 2 500,00 $US
    {{ change|signed_money:currency }}             +$475.00
    {{ count|number }}  {{ ei|number:2 }}          1,234  0.25
    {{ share|percent }}                            a share from 0 to 1: 50%
    {{ points|percent_number }}                    a value already in percent: 50 -> 50%
    {{ survey.period|month_name }}                 June 2026 / junio de 2026 / juin 2026
    {{ ask.deadline|day }}                         Jun 1, 2026 / 1 jun 2026 / 1 juin 2026
    {{ post.created_at|moment:partner.timezone }}  Nov 20, 2026, 6:02 AM, in that time zone
    {{ family.contact_phone|phone }}                +231 77 712 3456 (kept in E.164)

Each is `mutuality.formatting`; see there for what is kept for machines.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from mutuality import formatting, phones

register = template.Library()


@register.filter
def money(value, currency):
    return formatting.money(value, currency)


@register.filter
def signed_money(value, currency):
    return formatting.signed_money(value, currency)


@register.filter
def number(value, places=None):
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def percent(value, places=0):
    return formatting.percent(value, int(places))


@register.filter
def percent_number(value, places=0):
    if value is None or value == "":
        return ""
    return formatting.percent(Decimal(str(value)) / 100, int(places))


@register.filter
def month_name(value):
    return formatting.month_name(value)


@register.filter
def day(value):
    return formatting.day(value)


@register.filter
def moment(value, zone=None):
    return formatting.moment(value, zone)


@register.filter
def phone(value):
    """An E.164 number as people read it: `+231 77 712 3456`."""
    return phones.for_display(value)
