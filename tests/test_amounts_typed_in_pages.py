"""Every amount a user types in the pages is read the way they write it, in Spanish and French:
help between families, ventures (plan, monthly updates), funding asks, pledges,
repayments, partner settings and the exchange rates. What could mean two amounts is refused, in
the user's language, with an example written their way, and nothing is written. The survey's
answers are in test_amounts_typed_in_the_survey.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from families.models import HelpExchange
from tests import clock
from tests.factories import UserFactory, enable_totp
from tests.seats import seed_seat
from ventures import services as venture_services
from ventures.models import ExchangeRate, FundingAsk, PlanVersion, Pledge, Repayment, VentureUpdate
from ventures.services import PlanInput

NNBSP = "\u202f"


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def signed_in_speaking(client, user, language: str):
    """Signed in as `user`, whose saved language is `language` (the last one's cookie gone)."""
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    client.force_login(speaking(user, language))
    return client


# Every other amount field ------------------------------------------------------------------------


@dataclass
class AmountForm:
    user: object
    url: str
    data: dict
    field: str
    saved: Callable[[], Decimal | None]
    posts_as: str = "field"  # where the refusal shows: "field" (form errors) or "page"


def _venture(world):
    return venture_services.venture_create(
        seat=seed_seat(world.a),
        name="Tamales on Saturdays",
        kind="new",
        sector="food",
        description="Tamales sold from a basket at the market.",
        visibility="public",
        plan=PlanInput(budget_lines=[("Steamer", "80.00")], expected_monthly_revenue="0"),
    )


def _open_ask(world, kind="donation"):
    world.a.partner.funding_asks_need_review = False
    world.a.partner.save()
    ask = venture_services.ask_create(
        seat=seed_seat(world.a),
        venture=_venture(world),
        kind=kind,
        amount="5000.00",
        purpose="A bigger steamer",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        friends_first_days=0,
        repayment_months=1 if kind == "loan" else None,
    )
    return venture_services.ask_submit(seat=seed_seat(world.a), ask=ask)


def help_form(world):
    return AmountForm(
        user=world.a.seed_member,
        url=reverse("family_help"),
        data={
            "direction": "given",
            "other_family": str(world.a.friend_family.pk),
            "kind": "childcare",
            "happened_on": clock.days(-2).isoformat(),
            "note": "",
        },
        field="estimated_value",
        saved=lambda: HelpExchange.objects.values_list("estimated_value", flat=True).first(),
    )


def _plan_rows(item_amount: str = "", revenue: str = "0") -> dict:
    return {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": "Steamer",
        "lines-0-amount": item_amount,
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "expected_monthly_revenue": revenue,
    }


def _latest_plan():
    return PlanVersion.objects.order_by("-number").first()


def budget_line_form(world):
    venture = _venture(world)
    return AmountForm(
        user=world.a.seed_member,
        url=reverse("venture_plan", args=[venture.pk]),
        data={k: v for k, v in _plan_rows().items() if k != "lines-0-amount"},
        field="lines-0-amount",
        saved=lambda: (
            _latest_plan().budget_lines.get().amount if _latest_plan().number > 1 else None
        ),
        posts_as="page",  # a plan's rows are refused on top of the rows
    )


def expected_revenue_form(world):
    venture = _venture(world)
    return AmountForm(
        user=world.a.seed_member,
        url=reverse("venture_plan", args=[venture.pk]),
        data={k: v for k, v in _plan_rows("80").items() if k != "expected_monthly_revenue"},
        field="expected_monthly_revenue",
        saved=lambda: (
            _latest_plan().expected_monthly_revenue if _latest_plan().number > 1 else None
        ),
    )


def _update_form(world, field, other):
    venture = _venture(world)
    return AmountForm(
        user=world.a.seed_member,
        url=reverse("venture_update_new", args=[venture.pk]),
        data={"period": clock.period(0), other: "0", "household_jobs": "1", "other_jobs": "0"},
        field=field,
        saved=lambda: VentureUpdate.objects.values_list(field, flat=True).first(),
    )


def update_revenue_form(world):
    return _update_form(world, "revenue", "costs")


def update_costs_form(world):
    return _update_form(world, "costs", "revenue")


def ask_form(world):
    venture = _venture(world)
    return AmountForm(
        user=world.a.seed_member,
        url=reverse("ask_new", args=[venture.pk]),
        data={
            "kind": "donation",
            "purpose": "A bigger steamer",
            "deadline": (timezone.localdate() + datetime.timedelta(days=45)).isoformat(),
            "friends_first_days": "7",
        },
        field="amount",
        saved=lambda: FundingAsk.objects.values_list("amount", flat=True).first(),
    )


def pledge_form(world):
    ask = _open_ask(world)
    return AmountForm(
        user=world.a.funder,
        url=reverse("funder_ask_detail", args=[ask.pk]),
        data={},
        field="amount",
        saved=lambda: Pledge.objects.values_list("amount", flat=True).first(),
    )


def repayment_form(world):
    ask = _open_ask(world, kind="loan")
    venture_services.pledge_create(user=world.a.funder, ask=ask, amount="5000.00")
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    repayment = venture_services.repayment_schedule_create(
        seat=staff, ask=ask, first_due_on=timezone.localdate() + datetime.timedelta(days=10)
    )[0]
    slug = world.a.partner.slug
    return AmountForm(
        user=world.a.staff,
        url=reverse(
            "repayment_record", kwargs={"partner_slug": slug, "repayment_id": repayment.pk}
        ),
        data={"paid_on": timezone.localdate().isoformat(), "confirm": "True"},
        field="amount",
        saved=lambda: Repayment.objects.get(pk=repayment.pk).amount_paid or None,
    )


def _partner_form(world, field):
    partner = world.a.partner
    data = {
        "name": partner.name,
        "country": partner.country,
        "currency": partner.currency,
        "languages": ["en", "es", "fr"],
        "timezone": partner.timezone,
        "stipend_amount": "25",
        "months_before_phase_two": "4",
        "friends_first_days": "7",
        "baseline_months": "1",
        "unusual_change_percent": "50",
        "survey_money_ceiling": "1000000",
    }
    del data[field]
    before = getattr(partner, field)

    def saved():
        partner.refresh_from_db()
        value = getattr(partner, field)
        return value if value != before else None

    return AmountForm(
        user=world.a.admin,
        url=reverse("partner_settings", args=[partner.slug]),
        data=data,
        field=field,
        saved=saved,
    )


def stipend_form(world):
    return _partner_form(world, "stipend_amount")


def ceiling_form(world):
    return _partner_form(world, "survey_money_ceiling")


def exchange_rate_form(world):
    operator = UserFactory(email="operator@example.org", is_superuser=True)
    enable_totp(operator)
    return AmountForm(
        user=operator,
        url=reverse("exchange_rates"),
        data={"currency": "MXN"},
        field="usd_per_unit",
        saved=lambda: ExchangeRate.objects.values_list("usd_per_unit", flat=True).first(),
    )


FORMS = [
    help_form,
    budget_line_form,
    expected_revenue_form,
    update_revenue_form,
    update_costs_form,
    ask_form,
    pledge_form,
    repayment_form,
    stipend_form,
    ceiling_form,
    exchange_rate_form,
]

TYPED_WELL = [
    ("fr", "120,50", "120.50"),
    ("fr", "120.50", "120.50"),
    ("fr", f"1{NNBSP}350,50", "1350.50"),
    ("fr", "1 350,50", "1350.50"),
    ("es", "75,25", "75.25"),
    ("es", "1.200", "1200"),
    ("es", "1.350,50", "1350.50"),
    ("es", "1 350,50", "1350.50"),
]

TYPED_BADLY = [
    ("fr", "1.200", "peut se lire de deux façons : écrivez 1,2 ou 1\u202f200."),
    ("fr", "12,50,3", "Écrivez un montant comme 1\u202f350,50."),
    ("es", "120.50", "Use una coma para los céntimos, como 120,50."),
    ("es", "12,50,3", "Escriba un importe como 1.350,50."),
]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("language", "typed", "stored"), TYPED_WELL)
def test_an_amount_is_saved_as_the_user_wrote_it(world, client, form, language, typed, stored):
    amount_form = form(world)
    client.force_login(speaking(amount_form.user, language))

    response = client.post(amount_form.url, {**amount_form.data, amount_form.field: typed})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert amount_form.saved() == Decimal(stored)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("language", "typed", "message"), TYPED_BADLY)
def test_an_ambiguous_or_malformed_amount_is_refused_in_the_users_words(
    world, client, form, language, typed, message
):
    amount_form = form(world)
    client.force_login(speaking(amount_form.user, language))

    response = client.post(amount_form.url, {**amount_form.data, amount_form.field: typed})

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{typed}"' in body  # kept as typed, to correct
    assert amount_form.saved() is None


# Filters, bounds and counts ----------------------------------------------------------------------


def test_a_funder_filters_asks_by_amounts_written_their_way(world, client):
    _open_ask(world)  # 5000.00
    client.force_login(speaking(world.a.funder, "fr"))
    home = reverse("funder_home")

    above = client.get(home, {"min_amount": "4 999,99"})
    below = client.get(home, {"max_amount": "4999,99"})
    refused = client.get(home, {"min_amount": "1.200"})

    assert [ask.amount for ask in above.context["asks"]] == [Decimal("5000.00")]
    assert list(below.context["asks"]) == []
    assert refused.status_code == 400
    assert "peut se lire de deux façons" in refused.context["filter_form"].errors["min_amount"][0]


def test_a_number_questions_bounds_are_read_the_staff_members_way(world, client):
    client.force_login(speaking(world.a.admin, "es"))
    page = reverse("survey_template", kwargs={"partner_slug": world.a.partner.slug})
    question = {
        "key": "rooms",
        "type": "number",
        "label_en": "Rooms at home",
        "label_es": "Habitaciones en casa",
        "min_value": "0,5",
    }

    refused = client.post(page, {**question, "max_value": "20.5"})
    saved = client.post(page, {**question, "max_value": "1.000"})

    assert refused.status_code == 400
    assert refused.context["form"].errors["max_value"] == [
        "Use una coma para los céntimos, como 20,5."
    ]
    assert saved.status_code == 302
    rooms = world.a.partner.survey_templates.latest("version").questions.get(key="rooms")
    assert (rooms.min_value, rooms.max_value) == (Decimal("0.50"), Decimal("1000.00"))


@pytest.mark.parametrize(
    ("typed", "saved"), [("12", 12), ("٣", 3), (" 7 ", 7)], ids=["plain", "arabic", "spaces"]
)
def test_a_cohorts_seed_limit_is_a_whole_number_read_the_staff_members_way(
    world, client, typed, saved
):
    client.force_login(speaking(world.a.staff, "fr"))
    url = reverse(
        "cohort_edit",
        kwargs={"partner_slug": world.a.partner.slug, "cohort_id": world.a.cohort.pk},
    )
    data = {
        "name": world.a.cohort.name,
        "region": "",
        "started_on": world.a.cohort.started_on.isoformat(),
    }

    refused = client.post(url, {**data, "seed_limit": "2,5"})
    accepted = client.post(url, {**data, "seed_limit": typed})

    assert refused.status_code == 400
    assert refused.context["form"].errors["seed_limit"] == [
        "Écrivez un nombre entier, comme 1\u202f200."
    ]
    assert accepted.status_code == 302
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.seed_limit == saved


# What an edit form shows ------------------------------------------------------------------------


def test_edit_forms_show_stored_amounts_the_users_way(world, client):
    repayment = repayment_form(world)  # a loan of 5000.00 repaid in one instalment
    signed_in_speaking(client, world.a.admin, "fr")

    settings_page = client.get(reverse("partner_settings", args=[world.a.partner.slug]))

    body = settings_page.content.decode()
    assert 'value="25,00"' in body  # the stipend
    assert 'value="1000000,00"' in body  # the ceiling
    assert repayment.saved() is None
    ask = FundingAsk.objects.get()
    signed_in_speaking(client, world.a.staff, "es")
    ask_page = client.get(
        reverse("staff_ask_detail", kwargs={"partner_slug": world.a.partner.slug, "ask_id": ask.pk})
    )
    assert 'value="5000,00"' in ask_page.content.decode()  # what is left to repay
    signed_in_speaking(client, world.a.seed_member, "es")
    venture = ask.venture
    plan_page = client.get(reverse("venture_plan", args=[venture.pk])).content.decode()
    assert 'value="80,00"' in plan_page
    assert "con una coma antes de los céntimos: 1,200 es 1,2." in plan_page
