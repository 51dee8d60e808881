"""Help between families (`/family/help/`, confirm), the cohort's peer directory
(`/family/directory/`) and the consent settings that decide what others see (`/family/privacy/`).
"""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from families import services
from families.models import Family, HelpExchange, Tie
from tests import clock, factories
from tests.seats import friend_seat, seed_seat

HELP = reverse("family_help")
DIRECTORY = reverse("family_directory")
CONSENT = reverse("family_consent")
GROUP = reverse("family_group")


def money(amount: str, currency: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), currency, locale="en")


def signed_in(client, user):
    client.force_login(user)
    return client


def confirm_url(exchange):
    return reverse("family_help_confirm", args=[exchange.pk])


def other_group_family(tenant, *, listed=True, name="Listed household", **fields):
    """A family of another group of the same cohort, with a signed-in member."""
    group = factories.GroupFactory(cohort=tenant.cohort)
    family = factories.FamilyFactory(
        group=group, name=name, is_seed=True, in_cohort_directory=listed, **fields
    )
    member = factories.HouseholdMemberFactory(family=family, first_name="Oli").user
    return family, member


def help_data(other, **overrides):
    data = {
        "direction": "given",
        "other_family": str(other.pk),
        "kind": "childcare",
        "estimated_value": "20.00",
        "happened_on": clock.on(-2, 1).isoformat(),
        "note": "Saturday morning",
    }
    data.update(overrides)
    return data


def record(seat, other, direction="given", value="20.00"):
    return services.help_record(
        seat=seat,
        other_family=other,
        direction=direction,
        kind="food",
        estimated_value=value,
        happened_on=clock.month(-2),
    )


# Recording help ----------------------------------------------------------------------------------


def test_a_family_records_help_given_within_its_group(world, client):
    signed_in(client, world.a.seed_member)

    response = client.post(HELP, help_data(world.a.friend_family))

    assert response.status_code == 302
    assert response["Location"] == HELP
    exchange = HelpExchange.objects.get()
    assert exchange.giver == world.a.seed_family
    assert exchange.receiver == world.a.friend_family
    assert exchange.recorded_by == world.a.seed_member
    assert str(exchange.estimated_value) == "20.00"
    # Inside a group the tie is a bonding one already: no bridging tie is added.
    assert not Tie.objects.filter(reason=Tie.Reason.HELPED).exists()
    body = client.get(HELP).content.decode()
    assert "Recorded. Friend household A can confirm it on their help page." in body
    assert "We helped Friend household A: Childcare" in body
    assert f"We helped 1 time, worth about {money('20.00', 'USD')}." in body
    assert "waiting for the other family to confirm" in body


def test_help_received_across_groups_creates_a_bridging_tie(world, client):
    other, _member = other_group_family(world.a)
    signed_in(client, world.a.seed_member)

    response = client.post(HELP, help_data(other, direction="received", kind="transport"))

    assert response.status_code == 302
    exchange = HelpExchange.objects.get()
    assert (exchange.giver, exchange.receiver) == (other, world.a.seed_family)
    tie = Tie.objects.get(reason=Tie.Reason.HELPED)
    assert tie.kind == Tie.Kind.BRIDGING
    assert {tie.family_low, tie.family_high} == {world.a.seed_family, other}
    body = client.get(HELP).content.decode()
    assert "Listed household helped us: Transport" in body
    assert f"We were helped 1 time, worth about {money('20.00', 'USD')}." in body


def test_the_totals_are_in_the_partners_currency(world, client):
    record(seed_seat(world.b), world.b.friend_family, value="1500.50")
    record(seed_seat(world.b), world.b.friend_family, direction="received", value="99.99")
    record(seed_seat(world.b), world.b.friend_family, value="0.50")
    response = signed_in(client, world.b.seed_member).get(HELP)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"We helped 2 times, worth about {money('1501.00', 'LRD')}." in body
    assert f"We were helped 1 time, worth about {money('99.99', 'LRD')}." in body
    assert "USD" not in body


def test_only_the_group_and_listed_families_can_be_chosen(world, client):
    listed, _ = other_group_family(world.a, listed=True, name="Listed household")
    unlisted, _ = other_group_family(world.a, listed=False, name="Unlisted household")
    signed_in(client, world.a.seed_member)

    page = client.get(HELP)
    assert page.status_code == 200
    choices = list(page.context["form"].fields["other_family"].queryset)
    assert set(choices) == {world.a.friend_family, listed}
    body = page.content.decode()
    assert "Friend household A (your group)" in body
    assert "Unlisted household" not in body

    for other in (unlisted, world.b.friend_family, world.a.seed_family):
        response = client.post(HELP, help_data(other))
        assert response.status_code == 400
        assert "other_family" in response.context["form"].errors
    assert not HelpExchange.objects.exists()
    assert not Tie.objects.filter(reason=Tie.Reason.HELPED).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"estimated_value": "-5"}, "estimated_value"),
        ({"estimated_value": "lots"}, "estimated_value"),
        ({"estimated_value": "1e400"}, "estimated_value"),
        ({"kind": "hugs"}, "kind"),
        ({"direction": "sideways"}, "direction"),
        ({"happened_on": "not a date"}, "happened_on"),
    ],
)
def test_bad_help_input_is_refused_naming_the_field(world, client, overrides, field):
    response = signed_in(client, world.a.seed_member).post(
        HELP, help_data(world.a.friend_family, **overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not HelpExchange.objects.exists()


def test_help_in_the_future_is_refused_by_the_service(world, client):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = signed_in(client, world.a.seed_member).post(
        HELP, help_data(world.a.friend_family, happened_on=tomorrow)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["happened_on"] == [
        "Give the date it happened (not in the future)."
    ]
    assert not HelpExchange.objects.exists()


# Confirming ------------------------------------------------------------------------------------


def test_only_the_other_family_sees_the_confirm_button_and_can_confirm(world, client):
    exchange = record(seed_seat(world.a), world.a.friend_family)

    response = signed_in(client, world.a.seed_member).get(HELP)
    assert response.status_code == 200
    recorder_page = response.content.decode()
    assert f"We helped 1 time, worth about {money('20.00', 'USD')}." in recorder_page
    assert "waiting for the other family to confirm" in recorder_page
    assert confirm_url(exchange) not in recorder_page
    refused = client.post(confirm_url(exchange))
    assert refused.status_code == 403
    assert "Only the other family can confirm this help." in refused.content.decode()
    exchange.refresh_from_db()
    assert exchange.confirmed_at is None

    signed_in(client, world.a.friend_member)
    other_page = client.get(HELP).content.decode()
    assert confirm_url(exchange) in other_page
    assert "Confirm what Seed household A recorded" in other_page
    response = client.post(confirm_url(exchange))
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.confirmed_at is not None
    assert AuditEvent.objects.filter(verb="help.confirm", actor=world.a.friend_member).exists()
    response = client.get(HELP)
    assert response.status_code == 200
    page = response.content.decode()
    assert "confirmed" in page
    assert confirm_url(exchange) not in page


def test_confirming_twice_says_it_is_already_confirmed(world, client):
    exchange = record(seed_seat(world.a), world.a.friend_family)
    services.help_confirm(seat=friend_seat(world.a), exchange=exchange)
    signed_in(client, world.a.friend_member)
    response = client.post(confirm_url(exchange), HTTP_REFERER=HELP, follow=True)
    assert "This help is already confirmed." in response.content.decode()


def test_families_outside_the_exchange_get_404(world, client):
    exchange = record(seed_seat(world.a), world.a.friend_family)
    _third, third_member = other_group_family(world.a)
    for user in (world.b.seed_member, world.b.friend_member, third_member):
        signed_in(client, user)
        assert client.post(confirm_url(exchange)).status_code == 404
        response = client.get(HELP)
        assert response.status_code == 200
        assert "No help recorded yet." in response.content.decode()
        assert "Friend household A" not in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.confirmed_at is None


def test_confirm_is_post_only(world, client):
    exchange = record(seed_seat(world.a), world.a.friend_family)
    response = signed_in(client, world.a.friend_member).get(confirm_url(exchange))
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["staff", "liaison", "admin", "funder"])
def test_staff_liaisons_and_funders_cannot_record_or_confirm_help(world, client, role):
    exchange = record(seed_seat(world.a), world.a.friend_family)
    signed_in(client, getattr(world.a, role))
    assert client.get(HELP).status_code == 404
    assert client.post(HELP, help_data(world.a.friend_family)).status_code == 404
    assert client.post(confirm_url(exchange)).status_code == 404
    assert HelpExchange.objects.count() == 1
    exchange.refresh_from_db()
    assert exchange.confirmed_at is None


def test_the_help_list_is_paginated(world, client):
    for _ in range(27):
        record(seed_seat(world.a), world.a.friend_family)
    page = signed_in(client, world.a.seed_member).get(HELP)
    assert len(page.context["page"].object_list) == 25
    assert "Page 1 of 2" in page.content.decode()


# The directory ---------------------------------------------------------------------------------


def test_the_directory_lists_only_families_that_chose_it(world, client):
    listed, _ = other_group_family(
        world.a, name="Listed household", offers="Childcare on weekends", looking_for="A ride"
    )
    other_group_family(world.a, listed=False, name="Private household")
    signed_in(client, world.a.seed_member)

    page = client.get(DIRECTORY)

    assert page.status_code == 200
    body = page.content.decode()
    assert "Listed household" in body
    assert "Childcare on weekends" in body
    assert "A ride" in body
    assert "Private household" not in body
    assert "Your family is not listed." in body
    assert CONSENT in body
    # Contact only when the listed family allowed it.
    assert listed.contact_email not in body
    Family.objects.filter(pk=listed.pk).update(show_contact_to_cohort=True)
    assert listed.contact_email in client.get(DIRECTORY).content.decode()


def test_the_directory_never_shows_another_cohort_or_partner(world, client):
    Family.objects.filter(pk=world.b.seed_family.pk).update(
        in_cohort_directory=True, offers="Partner B offer"
    )
    other_cohort = factories.CohortFactory(partner=world.a.partner, name="Other cohort")
    factories.FamilyFactory(
        group=factories.GroupFactory(cohort=other_cohort),
        name="Other cohort household",
        in_cohort_directory=True,
    )
    other_group_family(world.a, listed=True, name="Listed household")
    response = signed_in(client, world.a.seed_member).get(DIRECTORY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Listed household" in body
    assert "Partner B offer" not in body
    assert "Seed household B" not in body
    assert "Other cohort household" not in body


# Consent ---------------------------------------------------------------------------------------


def consent_data(family, **overrides):
    data = {
        name: getattr(family, name)
        for name in services.CONSENT_FIELDS
        if getattr(family, name) not in (False, "")
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not False}


def test_the_consent_page_explains_each_choice(world, client):
    page = signed_in(client, world.a.seed_member).get(CONSENT)
    assert page.status_code == 200
    body = page.content.decode()
    for label in (
        "My group may see who lives in our household",
        "My group may see our email and phone",
        "List us in the cohort&#x27;s peer directory",
        "Families of the cohort may see our email and phone",
        "Partner staff may see who lives in our household",
        "Partner staff may read our posts",
        "What we can offer others",
        "What we are looking for",
    ):
        assert label in body
    assert "see how many people live with you and their first names" in body
    assert page.context["form"]["show_household_to_group"].value() is True


def test_turning_off_household_sharing_hides_members_from_the_group(world, client):
    friend_view = signed_in(client, world.a.friend_member).get(GROUP).content.decode()
    assert "Sol" in friend_view

    signed_in(client, world.a.seed_member)
    response = client.post(
        CONSENT, consent_data(world.a.seed_family, show_household_to_group=False)
    )
    assert response.status_code == 302
    world.a.seed_family.refresh_from_db()
    assert world.a.seed_family.show_household_to_group is False
    assert world.a.seed_family.show_contact_to_group is True
    event = AuditEvent.objects.get(verb="family.consent")
    assert event.before["show_household_to_group"] is True
    assert event.after["show_household_to_group"] is False
    assert "Your choices are saved." in client.get(CONSENT).content.decode()

    response = signed_in(client, world.a.friend_member).get(GROUP)
    assert response.status_code == 200
    friend_view = response.content.decode()
    assert "Seed household A" in friend_view
    assert "Sol" not in friend_view
    assert "This family keeps its household private." in friend_view
    # The family itself still sees its own household.
    assert "Sol" in signed_in(client, world.a.seed_member).get(GROUP).content.decode()


def test_joining_the_directory_shows_the_family_to_the_cohort(world, client):
    _other, other_member = other_group_family(world.a, listed=False, name="Neighbour")
    before = signed_in(client, other_member).get(DIRECTORY)
    assert before.status_code == 200
    assert "No family is listed yet." in before.content.decode()
    assert "Seed household A" not in before.content.decode()

    signed_in(client, world.a.seed_member).post(
        CONSENT,
        consent_data(
            world.a.seed_family, in_cohort_directory="on", offers="Help with school forms"
        ),
    )
    assert "Your family is listed." in client.get(DIRECTORY).content.decode()

    response = signed_in(client, other_member).get(DIRECTORY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A" in body
    assert "Help with school forms" in body
    assert world.a.seed_family.contact_email not in body

    signed_in(client, world.a.seed_member).post(CONSENT, consent_data(world.a.seed_family))
    world.a.seed_family.refresh_from_db()
    assert world.a.seed_family.in_cohort_directory is False
    after = signed_in(client, other_member).get(DIRECTORY)
    assert after.status_code == 200
    assert "No family is listed yet." in after.content.decode()
    assert "Seed household A" not in after.content.decode()


def test_too_long_an_offer_is_refused_and_nothing_changes(world, client):
    response = signed_in(client, world.a.seed_member).post(
        CONSENT, consent_data(world.a.seed_family, offers="x" * 301, in_cohort_directory="on")
    )
    assert response.status_code == 400
    assert "offers" in response.context["form"].errors
    world.a.seed_family.refresh_from_db()
    assert world.a.seed_family.in_cohort_directory is False
    assert not AuditEvent.objects.filter(verb="family.consent").exists()


@pytest.mark.parametrize("role", ["staff", "liaison", "admin", "funder"])
def test_no_one_else_can_change_a_familys_consent(world, client, role):
    signed_in(client, getattr(world.a, role))
    assert client.get(CONSENT).status_code == 404
    assert client.get(DIRECTORY).status_code == 404
    response = client.post(CONSENT, {"in_cohort_directory": "on"})
    assert response.status_code == 404
    world.a.seed_family.refresh_from_db()
    assert world.a.seed_family.in_cohort_directory is False
