"""Numbers typed the family's way are read as they meant them, in English, Spanish and French;
anything that could mean two numbers is refused, saying in their language how to write it."""

from decimal import Decimal

import pytest

from mutuality.numbers import (
    NotANumber,
    amount_hint,
    format_for_input,
    locale_of,
    parse_amount,
    parse_whole_number,
    to_decimal,
)
from tests import clock
from tests.seats import signed_in

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
SURVEYS = "/api/v1/surveys/"


def survey(**answers) -> dict:
    required = {
        "income_wages": "1200.00",
        "income_business": "0",
        "income_benefits": "0",
        "income_other": "0",
        "savings_balance": "80.00",
        "debt_formal": "0",
        "debt_high_cost": "0",
        "adults_working": "1",
    }
    return {"period": clock.period(0), "answers": {**required, **answers}}


@pytest.mark.parametrize(
    ("locale", "typed", "meant"),
    [
        # English: a point for cents, commas (or spaces) between thousands.
        ("en", "120.50", "120.50"),
        ("en", "1,200", "1200"),
        ("en", "1,350.50", "1350.50"),
        ("en", "1 350.50", "1350.50"),
        ("en", "1,000,000", "1000000"),
        ("en", " 75 ", "75"),
        # Spanish: a comma for cents, points (or spaces) between thousands.
        ("es", "75,25", "75.25"),
        ("es", "120,50", "120.50"),
        ("es", "1,200", "1.2"),
        ("es", "1.200", "1200"),
        ("es", "1.350,50", "1350.50"),
        ("es", "1 350,50", "1350.50"),
        ("es", f"1{NBSP}350,50", "1350.50"),
        ("es", "1.000.000", "1000000"),
        # French: a comma for cents, spaces of every kind between thousands; a point that
        # cannot be grouping is a decimal sign too.
        ("fr", "120,50", "120.50"),
        ("fr", "1,200", "1.2"),
        ("fr", "1 350,50", "1350.50"),
        ("fr", f"1{NBSP}350,50", "1350.50"),
        ("fr", f"1{NNBSP}350,50", "1350.50"),
        ("fr", f"1{THIN}350,50", "1350.50"),
        ("fr", "1  350,50", "1350.50"),
        ("fr", "120.50", "120.50"),
        ("fr", "1 350.5", "1350.5"),
        ("fr", "2 000 000", "2000000"),
        # Digits of other scripts, full-width signs and a minus sign are read as meant.
        ("fr", "１２０，５０", "120.50"),
        ("es", "٧٥,٢٥", "75.25"),
        ("fr", "\u22125", "-5"),
    ],
)
def test_an_amount_is_read_as_the_locale_writes_it(locale, typed, meant):
    assert parse_amount(typed, locale) == Decimal(meant)


@pytest.mark.parametrize(
    ("locale", "typed", "message"),
    [
        ("en", "120,50", "Use a point for the cents, like 120.50."),
        ("en", "1,20", "Use a point for the cents, like 1.20."),
        ("en", "1.350,50", "Write an amount like 1,350.50."),
        ("en", "1 350,50", "Write an amount like 1,350.50."),
        ("es", "120.50", "Use una coma para los céntimos, como 120,50."),
        ("es", "1,350.50", "Escriba un importe como 1.350,50."),
        ("es", "1.20.000", "Escriba un importe como 1.350,50."),
        ("es", "doce", "Escriba un importe como 1.350,50."),
        ("fr", "1.200", "« 1.200 » peut se lire de deux façons : écrivez 1,2 ou 1\u202f200."),
        ("fr", "1.350,50", f"Écrivez un montant comme 1{NNBSP}350,50."),
        ("fr", "1,350.50", f"Écrivez un montant comme 1{NNBSP}350,50."),
        ("fr", "1 35,50", f"Écrivez un montant comme 1{NNBSP}350,50."),
        ("fr", "12,50,3", f"Écrivez un montant comme 1{NNBSP}350,50."),
        ("fr", "1 350.000,5", f"Écrivez un montant comme 1{NNBSP}350,50."),
    ],
)
def test_an_ambiguous_or_malformed_amount_is_refused_in_the_users_words(locale, typed, message):
    with pytest.raises(NotANumber) as refused:
        parse_amount(typed, locale)
    assert refused.value.message == message
    assert parse_amount("120,50" if locale != "en" else "120.50", locale) == Decimal("120.50")


@pytest.mark.parametrize("locale", ["en", "es", "fr"])
@pytest.mark.parametrize(
    "typed", ["", "  ", "1e2", "1E3", "0x10", "1_000", "NaN", "Infinity", "--5", "5.", ",5", "+5"]
)
def test_notations_nobody_types_are_refused_in_every_language(locale, typed):
    with pytest.raises(NotANumber) as refused:
        parse_amount(typed, locale)
    assert refused.value.message  # always says how to write it
    assert parse_amount("5", locale) == 5


@pytest.mark.parametrize(
    ("locale", "typed", "meant"),
    [
        ("en", "12", 12),
        ("en", "1,200", 1200),
        ("es", "1.200", 1200),
        ("es", "1 200", 1200),
        ("fr", f"1{NNBSP}200", 1200),
        ("fr", "３", 3),
    ],
)
def test_a_whole_number_is_read_as_the_locale_writes_it(locale, typed, meant):
    assert parse_whole_number(typed, locale) == meant


@pytest.mark.parametrize(
    ("locale", "typed", "message"),
    [
        ("en", "2.5", "Write a whole number, like 1,200."),
        ("es", "1,200", "Escriba un número entero, como 1.200."),
        ("fr", "1.200", f"Écrivez un nombre entier, comme 1{NNBSP}200."),
        ("fr", "2,5", f"Écrivez un nombre entier, comme 1{NNBSP}200."),
        ("fr", "deux", f"Écrivez un nombre entier, comme 1{NNBSP}200."),
    ],
)
def test_a_whole_number_with_decimals_or_words_is_refused(locale, typed, message):
    with pytest.raises(NotANumber) as refused:
        parse_whole_number(typed, locale)
    assert refused.value.message == message
    assert parse_whole_number("2", locale) == 2


@pytest.mark.parametrize(
    ("locale", "hint"),
    [
        ("en", "Like 1,350.50, with a point before the cents."),
        ("es", "Como 1.350,50, con una coma antes de los céntimos: 1,200 es 1,2."),
        ("fr", f"Comme 1{NNBSP}350,50, avec une virgule avant les centimes : 1,200 vaut 1,2."),
    ],
)
def test_the_hint_says_how_to_write_an_amount_and_what_1_200_is(locale, hint):
    assert amount_hint(locale) == hint


def test_a_stored_amount_is_shown_in_a_field_the_users_way_without_grouping():
    assert format_for_input(Decimal("1350.5"), "en") == "1350.50"
    assert format_for_input(Decimal("1350.5"), "fr") == "1350,50"
    assert format_for_input(Decimal("0.058"), "es", decimal_places=None) == "0,058"
    # what it shows is read back as the same amount
    assert parse_amount(format_for_input(Decimal("1350.5"), "fr"), "fr") == Decimal("1350.5")


def test_django_language_codes_become_babel_locales():
    assert [locale_of(code) for code in ("fr", "es", "en-us", None, "xx")] == [
        "fr",
        "es",
        "en_US",
        "en",
        "en",
    ]


def test_the_machine_form_is_unchanged_whatever_the_language():
    assert to_decimal("1250.00") == Decimal("1250.00")
    assert to_decimal("1,250.50") == Decimal("1250.50")
    for typed in ("1250,00", "1.250,50", "1 250"):
        with pytest.raises(NotANumber):
            to_decimal(typed)


def test_the_api_takes_machine_decimals_whatever_the_language(world, api):
    signed_in(api, world.a.seed_member)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}

    refused = api.post(SURVEYS, survey(income_wages="1250,00"), format="json", **french)
    accepted = api.post(SURVEYS, survey(income_wages="1250.00"), format="json", **french)

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "answers.income_wages": ["Saisissez un montant, comme 120.50."]
    }
    assert accepted.status_code == 201
    assert accepted.json()["answers"]["income_wages"] == "1250.00"
