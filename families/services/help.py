"""Help between families: recorded by one, confirmed by the other."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from families.access import FamilySeat
from families.models import (
    Family,
    HelpExchange,
    Tie,
)
from families.services.cohorts import before_the_cohort
from families.services.ties import tie_record
from mutuality.errors import Conflict, InvalidInput, NotAllowed, validated
from mutuality.numbers import NotANumber, to_decimal

# Help between families ----------------------------------------------------------------------


def parse_money(value, field_name: str, *, ceiling: Decimal) -> Decimal:
    """An estimated value: blank is zero; below `ceiling` (the partner's largest survey
    amount: help between two households is never worth more than that)."""
    try:
        amount = to_decimal(value) if str(value).strip() else Decimal("0")
    except NotANumber:
        raise InvalidInput.for_field(field_name, _("Enter an amount, like 25.00.")) from None
    if amount < 0:
        raise InvalidInput.for_field(field_name, _("Enter zero or more."))
    if amount >= ceiling:
        raise InvalidInput.for_field(field_name, _("This amount is too large."))
    if amount.as_tuple().exponent < -2:
        raise InvalidInput.for_field(field_name, _("Use at most two decimals."))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def help_record(
    *,
    seat: FamilySeat,
    other_family: Family,
    direction: str,
    kind: str,
    estimated_value,
    happened_on: datetime.date,
    note: str = "",
) -> HelpExchange:
    """`direction` is "given" (we helped them) or "received" (they helped us)."""
    family = seat.family
    errors = {}
    if other_family.pk == family.pk or other_family.cohort_id != family.cohort_id:
        errors["other_family"] = [_("Choose another family of your cohort.")]
    if direction not in {"given", "received"}:
        errors["direction"] = [_("Say whether you gave or received this help.")]
    if kind not in HelpExchange.Kind.values:
        errors["kind"] = [_("Choose a kind of help from the list.")]
    if happened_on is None or happened_on > timezone.localdate():
        errors["happened_on"] = [_("Give the date it happened (not in the future).")]
    elif too_early := before_the_cohort(family.cohort, happened_on):
        errors["happened_on"] = [too_early]
    try:
        value = parse_money(
            estimated_value, "estimated_value", ceiling=family.partner.survey_money_ceiling
        )
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(_("Please correct the errors below."), errors=errors)
    giver, receiver = (family, other_family) if direction == "given" else (other_family, family)
    exchange = HelpExchange(
        partner_id=family.partner_id,
        cohort_id=family.cohort_id,
        giver=giver,
        receiver=receiver,
        recorded_by_family=family,
        recorded_by=seat.user,
        kind=kind,
        estimated_value=value,
        happened_on=happened_on,
        note=(note or "").strip(),
    )
    validated(exchange)
    exchange.save()
    if giver.group_id != receiver.group_id:
        tie_record(first=giver, second=receiver, reason=Tie.Reason.HELPED)
    audit_record(
        actor=seat.user,
        verb="help.record",
        obj=exchange,
        partner=family.partner,
        after={
            "giver": giver.pk,
            "receiver": receiver.pk,
            "kind": kind,
            "estimated_value": str(value),
        },
    )
    return exchange


@transaction.atomic
def help_confirm(*, seat: FamilySeat, exchange: HelpExchange) -> HelpExchange:
    exchange = HelpExchange.objects.select_for_update().get(pk=exchange.pk)
    if exchange.other_family_id != seat.family.pk:
        raise NotAllowed(_("Only the other family can confirm this help."))
    if exchange.confirmed_at is not None:
        raise Conflict(_("This help is already confirmed."))
    exchange.confirmed_at = timezone.now()
    exchange.save(update_fields=["confirmed_at"])
    audit_record(
        actor=seat.user,
        verb="help.confirm",
        obj=exchange,
        partner=seat.family.partner,
        after={"confirmed": True},
    )
    return exchange
