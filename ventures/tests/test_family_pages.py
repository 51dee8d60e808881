"""Families plan and run their ventures and ask for funding, on their pages; staff and liaisons
never reach these pages (they never create or edit a venture or an ask).

Pages: `/family/ventures/`, `/family/ventures/new/`, `/family/ventures/<id>/` (and its plan,
updates, asks and photos), `/family/milestones/<id>/`, `/family/asks/<id>/` (send, change,
close).
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_currency
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import policy
from accounts.models import AuditEvent
from families.access import FamilySeat
from tests import clock, factories
from ventures import services
from ventures.models import (
    FundingAsk,
    PlanVersion,
    Pledge,
    Venture,
    VentureUpdate,
)
from ventures.services import PlanInput

LIST = reverse("family_ventures")
NEW = reverse("venture_new")


def money(amount: str, currency: str) -> str:
    """An amount as Babel writes it in English: the pages must agree."""
    return format_currency(Decimal(amount), currency, locale="en")


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def seat_of(tenant, who="seed") -> FamilySeat:
    if who == "seed":
        return FamilySeat(user=tenant.seed_member, family=tenant.seed_family)
    return FamilySeat(user=tenant.friend_member, family=tenant.friend_family)


def signed_in(client, user):
    client.force_login(user)
    return client


def a_venture(tenant, *, who="seed", seat=None, **changes) -> Venture:
    values = {
        "name": "Tamales on Saturdays",
        "kind": "new",
        "sector": "food",
        "description": "Tamales sold from a basket at the market.",
        "location": "Riverside market",
        "visibility": "group",
        "plan": PlanInput(
            budget_lines=[("Steamer", "80.00"), ("Cooler", "45.50")],
            milestones=[("First market day", days_from_today(30))],
            expected_monthly_revenue="400",
        ),
    }
    return services.venture_create(seat=seat or seat_of(tenant, who), **{**values, **changes})


def an_ask(tenant, venture, **changes) -> FundingAsk:
    values = {
        "kind": "donation",
        "amount": "300.00",
        "purpose": "A steamer and a cooler",
        "deadline": days_from_today(60),
        "friends_first_days": 0,
    }
    return services.ask_create(seat=seat_of(tenant), venture=venture, **{**values, **changes})


def opened(tenant, ask) -> FundingAsk:
    """Sent and open (the partner's check skipped)."""
    tenant.partner.funding_asks_need_review = False
    tenant.partner.save()
    return services.ask_submit(seat=seat_of(tenant), ask=ask)


def other_group_member(tenant, name="Other group household"):
    group = factories.GroupFactory(cohort=tenant.cohort, name=f"{name} group")
    family = factories.FamilyFactory(group=group, name=name, is_seed=True)
    member = factories.HouseholdMemberFactory(family=family, first_name="Oli")
    return member.user, family


def image_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def venture_data(**overrides) -> dict:
    data = {
        "name": "The corner shop",
        "kind": "expansion",
        "sector": "retail",
        "description": "Groceries and phone credit from our front room.",
        "location": "5th street",
        "started_on": clock.on(-3, 1).isoformat(),
        "visibility": "cohort",
        **management("lines", 3),
        "lines-0-item": "Shelves",
        "lines-0-amount": "120.00",
        "lines-1-item": "First stock",
        "lines-1-amount": "200",
        "lines-2-item": "",
        "lines-2-amount": "",
        **management("milestones", 2),
        "milestones-0-what": "Shelves up",
        "milestones-0-due_on": days_from_today(20).isoformat(),
        "milestones-1-what": "",
        "milestones-1-due_on": "",
        "expected_monthly_revenue": "350",
    }
    data.update(overrides)
    return data


def plan_data(**overrides) -> dict:
    data = {
        **management("lines", 3),
        "lines-0-item": "Steamer",
        "lines-0-amount": "95.00",
        "lines-1-item": "Table",
        "lines-1-amount": "30",
        **management("milestones", 2),
        "milestones-0-what": "First market day",
        "milestones-0-due_on": days_from_today(30).isoformat(),
        "expected_monthly_revenue": "500",
    }
    data.update(overrides)
    return data


def ask_data(**overrides) -> dict:
    data = {
        "kind": "donation",
        "amount": "300.00",
        "purpose": "A bigger steamer",
        "deadline": days_from_today(45).isoformat(),
        "friends_first_days": "7",
    }
    data.update(overrides)
    return data


def update_data(**overrides) -> dict:
    data = {
        "period": timezone.localdate().strftime("%Y-%m"),
        "revenue": "420.00",
        "costs": "180.00",
        "household_jobs": "2",
        "other_jobs": "1",
        "note": "Sold out twice.",
    }
    data.update(overrides)
    return data


def detail_url(venture) -> str:
    return reverse("venture_detail", args=[venture.pk])


def ask_url(ask) -> str:
    return reverse("family_ask_detail", args=[ask.pk])


# The list ----------------------------------------------------------------------------------------


def test_a_family_sees_its_ventures_and_those_shared_with_it_in_its_cohort(world, client):
    a_venture(world.a, name="Tamales on Saturdays")
    a_venture(world.a, who="friend", name="Fran's bakery", visibility="group")
    other_user, other_family = other_group_member(world.a)
    other_seat = FamilySeat(user=other_user, family=other_family)
    a_venture(world.a, seat=other_seat, name="Cohort garden", visibility="cohort")
    a_venture(world.a, seat=other_seat, name="Private workshop", visibility="group")
    a_venture(world.b, name="Partner B shop", visibility="cohort")

    response = signed_in(client, world.a.seed_member).get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert [v.name for v in response.context["mine"]] == ["Tamales on Saturdays"]
    assert [v.name for v in response.context["others"]] == ["Cohort garden", "Fran's bakery"]
    assert "Private workshop" not in body
    assert "Partner B shop" not in body
    assert reverse("venture_new") in body


def test_the_list_shows_open_asks_of_families_the_family_knows(world, client):
    venture = a_venture(world.a, who="friend", name="Fran's bakery")
    ask = services.ask_create(
        seat=seat_of(world.a, "friend"),
        venture=venture,
        kind="donation",
        amount="300.00",
        purpose="An oven",
        deadline=days_from_today(60),
    )
    world.a.partner.funding_asks_need_review = False
    world.a.partner.save()
    services.ask_submit(seat=seat_of(world.a, "friend"), ask=ask)

    body = signed_in(client, world.a.seed_member).get(LIST).content.decode()

    assert "Fran&#x27;s bakery" in body
    assert reverse("family_ask_detail", args=[ask.pk]) in body
    assert f"{money('0.00', 'USD')} of {money('300.00', 'USD')} pledged" in body


# A new venture -----------------------------------------------------------------------------------


def test_the_new_venture_form_offers_the_group_as_co_owners_and_blank_rows(world, client):
    response = signed_in(client, world.a.seed_member).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["co_owners"].queryset) == [world.a.friend_family]
    assert len(response.context["lines"].forms) == 3
    assert len(response.context["milestones"].forms) == 2
    body = response.content.decode()
    assert "Friend household A" in body
    assert "csrfmiddlewaretoken" in body


def test_a_family_creates_a_venture_with_its_plan(world, client):
    response = signed_in(client, world.a.seed_member).post(NEW, venture_data())

    venture = Venture.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(venture)
    assert (venture.name, venture.kind, venture.sector, venture.visibility) == (
        "The corner shop",
        "expansion",
        "retail",
        "cohort",
    )
    assert venture.started_on == clock.month(-3)
    assert list(venture.owners.all()) == [world.a.seed_family]
    assert venture.group is None
    plan = venture.plans.get()
    assert [(line.item, line.amount) for line in plan.budget_lines.all()] == [
        ("Shelves", Decimal("120.00")),
        ("First stock", Decimal("200.00")),
    ]
    assert [m.what for m in plan.milestones.all()] == ["Shelves up"]
    assert plan.expected_monthly_revenue == Decimal("350.00")
    assert AuditEvent.objects.filter(verb="venture.create", actor=world.a.seed_member).exists()

    page = client.get(detail_url(venture)).content.decode()
    assert "Your venture “The corner shop” is saved." in page
    assert "320.00" in page  # the budget's total


def test_a_collective_venture_has_the_chosen_co_owners(world, client):
    signed_in(client, world.a.seed_member).post(
        NEW, venture_data(co_owners=[str(world.a.friend_family.pk)])
    )
    venture = Venture.objects.get()
    assert venture.group == world.a.group
    assert set(venture.owners.all()) == {world.a.seed_family, world.a.friend_family}
    body = signed_in(client, world.a.friend_member).get(detail_url(venture)).content.decode()
    assert "A collective venture of" in body
    assert reverse("venture_plan", args=[venture.pk]) in body  # a co-owner may change it


def test_a_co_owner_outside_the_group_is_refused_and_nothing_is_written(world, client):
    _user, stranger = other_group_member(world.a)
    response = signed_in(client, world.a.seed_member).post(
        NEW, venture_data(co_owners=[str(stranger.pk)])
    )
    assert response.status_code == 400
    assert "co_owners" in response.context["form"].errors
    assert not Venture.objects.exists()


def test_a_budget_line_of_zero_is_refused_on_top_of_the_budget(world, client):
    response = signed_in(client, world.a.seed_member).post(
        NEW, venture_data(**{"lines-0-amount": "0"})
    )
    assert response.status_code == 400
    assert response.context["row_errors"]["budget_lines"] == ["Enter an amount above zero."]
    assert "Enter an amount above zero." in response.content.decode()
    assert not Venture.objects.exists()
    assert not PlanVersion.objects.exists()


def test_a_half_filled_row_is_refused_next_to_what_is_missing(world, client):
    response = signed_in(client, world.a.seed_member).post(
        NEW, venture_data(**{"milestones-1-what": "Open the doors"})
    )
    assert response.status_code == 400
    assert "due_on" in response.context["milestones"].forms[1].errors
    assert not Venture.objects.exists()


def test_a_negative_expected_revenue_is_refused_naming_the_field(world, client):
    response = signed_in(client, world.a.seed_member).post(
        NEW, venture_data(expected_monthly_revenue="-5")
    )
    assert response.status_code == 400
    assert response.context["plan_form"].errors["expected_monthly_revenue"] == [
        "Enter zero or more."
    ]
    assert not Venture.objects.exists()


def test_a_venture_without_a_name_is_refused_naming_the_field(world, client):
    response = signed_in(client, world.a.seed_member).post(NEW, venture_data(name=""))
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not Venture.objects.exists()


# Who sees a venture ------------------------------------------------------------------------------


def test_the_detail_page_shows_owners_plan_history_updates_and_asks(world, client):
    venture = a_venture(world.a)
    seat = seat_of(world.a)
    services.venture_plan_revise(
        seat=seat,
        venture=venture,
        plan=PlanInput(
            budget_lines=[("Steamer", "95.00"), ("Table", "30")],
            milestones=[("First market day", days_from_today(30))],
            expected_monthly_revenue="500",
        ),
    )
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    services.venture_post_update(
        seat=seat, venture=venture, period=last_month, revenue="300", costs="150", other_jobs=1
    )
    services.venture_post_update(
        seat=seat, venture=venture, period=this_month, revenue="420", costs="180", household_jobs=2
    )
    ask = opened(world.a, an_ask(world.a, venture))
    services.pledge_create(user=world.a.funder, ask=ask, amount="120.00")

    response = signed_in(client, world.a.seed_member).get(detail_url(venture))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Seed household A" in body
    assert "The plan (version 2)" in body
    assert "125.00" in body  # the total of version 2
    assert "First market day" in body
    assert f"Budget line added: Table, {money('30.00', 'USD')}." in body
    assert f"Steamer: {money('80.00', 'USD')} → {money('95.00', 'USD')}." in body
    assert "Budget line removed: Cooler." in body
    assert (
        f"Expected revenue per month: {money('400.00', 'USD')} → {money('500.00', 'USD')}." in body
    )
    assert "<svg" in body and "Revenue and costs, month by month (USD)" in body
    assert "420.00" in body and "300.00" in body
    assert "2 people working in it (latest month)" in body
    assert "<progress" in body
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in body
    assert "1 pledge" in body


def test_a_family_of_another_group_sees_a_cohort_venture_but_not_a_group_one(world, client):
    group_only = a_venture(world.a, name="Group only", visibility="group")
    for_cohort = a_venture(world.a, name="For the cohort", visibility="cohort")
    other_user, _family = other_group_member(world.a)
    signed_in(client, other_user)

    assert client.get(detail_url(group_only)).status_code == 404
    response = client.get(detail_url(for_cohort))
    assert response.status_code == 200
    body = response.content.decode()
    assert "For the cohort" in body
    # Seeing is not owning: no changes offered.
    assert reverse("venture_plan", args=[for_cohort.pk]) not in body
    assert reverse("ask_new", args=[for_cohort.pk]) not in body


def test_partner_b_families_get_404_on_partner_a_ventures_and_asks(world, client):
    venture = a_venture(world.a, visibility="cohort")
    ask = opened(world.a, an_ask(world.a, venture))
    milestone = venture.plans.get().milestones.get()
    signed_in(client, world.b.seed_member)
    for url in [
        detail_url(venture),
        reverse("venture_plan", args=[venture.pk]),
        reverse("venture_update_new", args=[venture.pk]),
        reverse("ask_new", args=[venture.pk]),
        reverse("venture_update_photo", args=[venture.pk]) + "?update=1",
        ask_url(ask),
        reverse("ask_send", args=[ask.pk]),
        reverse("ask_edit", args=[ask.pk]),
        reverse("family_ask_close", args=[ask.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("milestone_toggle", args=[milestone.pk]), {"done": "on"}).status_code
        == 404
    )
    assert client.post(reverse("family_ask_close", args=[ask.pk])).status_code == 404
    milestone.refresh_from_db()
    ask.refresh_from_db()
    assert not milestone.done
    assert ask.state == FundingAsk.State.OPEN


@pytest.mark.parametrize("role", ["staff", "liaison", "admin"])
def test_staff_and_liaisons_get_404_on_family_pages_and_their_posts_create_nothing(
    world, client, role
):
    venture = a_venture(world.a)
    draft = an_ask(world.a, venture)
    milestone = venture.plans.get().milestones.get()
    signed_in(client, getattr(world.a, role))
    pages = [
        LIST,
        NEW,
        detail_url(venture),
        reverse("venture_plan", args=[venture.pk]),
        reverse("venture_update_new", args=[venture.pk]),
        reverse("ask_new", args=[venture.pk]),
        ask_url(draft),
        reverse("ask_send", args=[draft.pk]),
        reverse("ask_edit", args=[draft.pk]),
        reverse("family_ask_close", args=[draft.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    posts = [
        (NEW, venture_data()),
        (reverse("venture_plan", args=[venture.pk]), plan_data()),
        (reverse("venture_update_new", args=[venture.pk]), update_data()),
        (reverse("ask_new", args=[venture.pk]), ask_data()),
        (reverse("ask_send", args=[draft.pk]), {}),
        (reverse("ask_edit", args=[draft.pk]), ask_data(amount="999")),
        (reverse("family_ask_close", args=[draft.pk]), {}),
        (reverse("milestone_toggle", args=[milestone.pk]), {"done": "on"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url

    assert Venture.objects.count() == 1
    assert PlanVersion.objects.count() == 1
    assert not VentureUpdate.objects.exists()
    assert FundingAsk.objects.count() == 1
    draft.refresh_from_db()
    milestone.refresh_from_db()
    assert (draft.state, draft.amount) == (FundingAsk.State.DRAFT, Decimal("300.00"))
    assert not milestone.done


def test_funders_and_people_with_no_role_get_404_on_family_pages(world, client):
    venture = a_venture(world.a, visibility="public")
    for user in [world.a.funder, world.outsider]:
        signed_in(client, user)
        assert client.get(LIST).status_code == 404
        assert client.get(detail_url(venture)).status_code == 404
        assert client.post(NEW, venture_data()).status_code == 404
    assert Venture.objects.count() == 1


# Milestones --------------------------------------------------------------------------------------


def test_an_owner_ticks_a_milestone_and_unticks_it(world, client):
    venture = a_venture(world.a)
    milestone = venture.plans.get().milestones.get()
    url = reverse("milestone_toggle", args=[milestone.pk])
    signed_in(client, world.a.seed_member)

    response = client.post(url, {"done": "on"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(venture) + "#plan"
    milestone.refresh_from_db()
    assert milestone.done
    assert "“First market day” is done." in client.get(detail_url(venture)).content.decode()

    unticked = client.post(url, {})
    assert unticked.status_code == 302
    assert unticked["Location"] == detail_url(venture) + "#plan"
    milestone.refresh_from_db()
    assert not milestone.done


def test_a_family_that_only_sees_a_venture_cannot_change_it(world, client):
    venture = a_venture(world.a, visibility="group")
    milestone = venture.plans.get().milestones.get()
    signed_in(client, world.a.friend_member)  # same group, not an owner

    assert client.get(detail_url(venture)).status_code == 200
    for name in ["venture_plan", "venture_update_new", "ask_new"]:
        assert client.get(reverse(name, args=[venture.pk])).status_code == 403, name
    assert client.post(reverse("venture_plan", args=[venture.pk]), plan_data()).status_code == 403
    assert (
        client.post(reverse("milestone_toggle", args=[milestone.pk]), {"done": "on"}).status_code
        == 403
    )
    milestone.refresh_from_db()
    assert not milestone.done
    assert PlanVersion.objects.count() == 1


def test_a_milestone_of_an_earlier_plan_cannot_be_ticked(world, client):
    venture = a_venture(world.a)
    old = venture.plans.get().milestones.get()
    services.venture_plan_revise(seat=seat_of(world.a), venture=venture, plan=PlanInput())
    signed_in(client, world.a.seed_member)
    response = client.post(reverse("milestone_toggle", args=[old.pk]), {"done": "on"}, follow=True)
    assert response.status_code == 200
    assert "Only the milestones of the current plan can be ticked." in response.content.decode()
    old.refresh_from_db()
    assert not old.done


# The plan ----------------------------------------------------------------------------------------


def test_the_plan_form_starts_from_the_current_plan(world, client):
    venture = a_venture(world.a)
    response = signed_in(client, world.a.seed_member).get(
        reverse("venture_plan", args=[venture.pk])
    )
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [form.initial for form in lines.initial_forms] == [
        {"item": "Steamer", "amount": Decimal("80.00")},
        {"item": "Cooler", "amount": Decimal("45.50")},
    ]
    assert response.context["plan_form"].initial["expected_monthly_revenue"] == Decimal("400.00")


def test_owners_revise_the_plan_and_earlier_versions_stay(world, client):
    venture = a_venture(world.a)
    url = reverse("venture_plan", args=[venture.pk])
    response = signed_in(client, world.a.seed_member).post(
        url, plan_data(**management("lines", 3, initial=2))
    )
    assert response.status_code == 302
    assert [p.number for p in venture.plans.all()] == [2, 1]
    current = venture.plans.first()
    assert [(line.item, line.amount) for line in current.budget_lines.all()] == [
        ("Steamer", Decimal("95.00")),
        ("Table", Decimal("30.00")),
    ]
    assert current.expected_monthly_revenue == Decimal("500.00")
    body = client.get(detail_url(venture)).content.decode()
    assert "The plan is saved as version 2." in body
    assert "Version 1" in body


def test_a_bad_plan_is_refused_and_nothing_is_written(world, client):
    venture = a_venture(world.a)
    url = reverse("venture_plan", args=[venture.pk])
    response = signed_in(client, world.a.seed_member).post(
        url, plan_data(**{"lines-1-amount": "-3"}, expected_monthly_revenue="-1")
    )
    assert response.status_code == 400
    assert response.context["row_errors"]["budget_lines"] == ["Enter an amount above zero."]
    assert "expected_monthly_revenue" in response.context["plan_form"].errors
    assert venture.plans.count() == 1


# Monthly updates ---------------------------------------------------------------------------------


def test_the_update_form_asks_for_the_month_given_or_this_month(world, client):
    venture = a_venture(world.a)
    url = reverse("venture_update_new", args=[venture.pk])
    signed_in(client, world.a.seed_member)
    given = client.get(f"{url}?period={clock.period(-4)}")
    assert given.context["form"].initial["period"] == clock.period(-4)
    this_month = timezone.localdate().strftime("%Y-%m")
    assert client.get(url).context["form"].initial["period"] == this_month
    assert client.get(url + "?period=nonsense").context["form"].initial["period"] == this_month


def test_owners_post_a_monthly_update_with_a_photo_shown_only_to_those_who_see_it(world, client):
    venture = a_venture(world.a, visibility="group")
    url = reverse("venture_update_new", args=[venture.pk])
    photo = SimpleUploadedFile("stall.png", image_bytes(), content_type="image/png")
    response = signed_in(client, world.a.seed_member).post(url, update_data(photo=photo))

    assert response.status_code == 302
    update = VentureUpdate.objects.get()
    assert (update.revenue, update.costs, update.household_jobs, update.other_jobs) == (
        Decimal("420.00"),
        Decimal("180.00"),
        2,
        1,
    )
    assert update.photo
    page = client.get(detail_url(venture))
    assert page.status_code == 200
    body = page.content.decode()
    photo_url = reverse("venture_update_photo", args=[venture.pk]) + f"?update={update.pk}"
    assert photo_url in body
    assert "/media/" not in body

    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert signed_in(client, world.a.friend_member).get(photo_url).status_code == 200

    other_user, _family = other_group_member(world.a)
    assert signed_in(client, other_user).get(photo_url).status_code == 404
    assert signed_in(client, world.b.seed_member).get(photo_url).status_code == 404
    assert signed_in(client, world.a.staff).get(photo_url).status_code == 404


def test_the_photo_page_needs_an_update_of_that_venture(world, client):
    venture = a_venture(world.a)
    other = a_venture(world.a, name="Another one")
    update = services.venture_post_update(
        seat=seat_of(world.a), venture=other, period=timezone.localdate(), revenue="1", costs="1"
    )
    url = reverse("venture_update_photo", args=[venture.pk])
    signed_in(client, world.a.seed_member)
    assert client.get(url).status_code == 400
    assert client.get(url + "?update=abc").status_code == 400
    assert client.get(url + f"?update={update.pk}").status_code == 404


def test_negative_revenue_is_refused_naming_the_field_and_nothing_is_written(world, client):
    venture = a_venture(world.a)
    response = signed_in(client, world.a.seed_member).post(
        reverse("venture_update_new", args=[venture.pk]), update_data(revenue="-10")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["revenue"] == ["Enter zero or more."]
    assert not VentureUpdate.objects.exists()


def test_a_second_update_for_the_same_month_is_a_conflict(world, client):
    venture = a_venture(world.a)
    url = reverse("venture_update_new", args=[venture.pk])
    signed_in(client, world.a.seed_member).post(url, update_data())
    response = client.post(url, update_data(revenue="999"))
    assert response.status_code == 409
    assert "period" in response.context["form"].errors
    assert VentureUpdate.objects.get().revenue == Decimal("420.00")


def test_a_refused_update_leaves_no_photo_behind(world, client, settings):
    venture = a_venture(world.a)
    url = reverse("venture_update_new", args=[venture.pk])
    signed_in(client, world.a.seed_member)
    first = SimpleUploadedFile("stall.png", image_bytes(), content_type="image/png")
    assert client.post(url, update_data(photo=first)).status_code == 302
    kept = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    assert len(kept) == 1  # the first update's photo

    again = SimpleUploadedFile("again.png", image_bytes(), content_type="image/png")
    response = client.post(url, update_data(revenue="999", photo=again))

    assert response.status_code == 409
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()) == kept
    assert VentureUpdate.objects.get().revenue == Decimal("420.00")


# Funding asks ------------------------------------------------------------------------------------


def test_owners_ask_for_funding_and_send_it_after_being_told_what_happens(world, client):
    venture = a_venture(world.a)
    line = venture.plans.get().budget_lines.get(item="Steamer")
    signed_in(client, world.a.seed_member)
    form_page = client.get(reverse("ask_new", args=[venture.pk]))
    assert form_page.context["form"].initial["friends_first_days"] == 7
    assert "Amount (USD)" in form_page.content.decode()

    response = client.post(
        reverse("ask_new", args=[venture.pk]), ask_data(budget_lines=[str(line.pk)])
    )

    ask = FundingAsk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ask_send", args=[ask.pk])
    assert ask.state == FundingAsk.State.DRAFT
    assert list(ask.budget_lines.all()) == [line]
    explained = client.get(response["Location"]).content.decode()
    assert "Partner A checks the ask first." in explained
    assert "Funders see only the asks of ventures shared with everyone" in explained
    assert "Send it" in explained

    sent = client.post(reverse("ask_send", args=[ask.pk]))
    assert sent.status_code == 302
    assert sent["Location"] == ask_url(ask)
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW
    body = client.get(ask_url(ask)).content.decode()
    assert "Waiting for the partner's check." in body


def test_the_send_page_of_a_public_venture_says_when_funders_see_the_ask(world, client):
    venture = a_venture(world.a, visibility="public")
    ask = an_ask(world.a, venture, friends_first_days=7)
    body = (
        signed_in(client, world.a.seed_member)
        .get(reverse("ask_send", args=[ask.pk]))
        .content.decode()
    )
    assert "for 7 days only your group and your cohort see it" in body
    assert "Then funders see it too" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "Enter an amount above zero."),
        ("amount", "-20", "Enter an amount above zero."),
        ("deadline", clock.on(-83, 1).isoformat(), "Choose a deadline after today."),
        ("friends_first_days", "90", "Choose between 0 and 60 days."),
        ("purpose", "", "This field is required."),
    ],
)
def test_a_bad_ask_is_refused_naming_the_field_and_nothing_is_written(
    world, client, field, value, message
):
    venture = a_venture(world.a)
    response = signed_in(client, world.a.seed_member).post(
        reverse("ask_new", args=[venture.pk]), ask_data(**{field: value})
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not FundingAsk.objects.exists()


def test_a_loan_says_over_how_many_months_it_is_repaid(world, client):
    venture = a_venture(world.a)
    url = reverse("ask_new", args=[venture.pk])
    signed_in(client, world.a.seed_member)
    response = client.post(url, ask_data(kind="loan"))
    assert response.status_code == 400
    assert "repayment_months" in response.context["form"].errors
    assert not FundingAsk.objects.exists()
    client.post(url, ask_data(kind="loan", repayment_months="6"))
    assert FundingAsk.objects.get().repayment_months == 6


def test_the_ask_page_says_where_the_ask_stands(world, client):
    venture = a_venture(world.a, visibility="public")
    ask = an_ask(world.a, venture, friends_first_days=5)
    signed_in(client, world.a.seed_member)
    assert "Draft: not sent yet." in client.get(ask_url(ask)).content.decode()

    services.ask_submit(seat=seat_of(world.a), ask=ask)
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.ask_review(seat=staff, ask=ask, decision="approve")
    ask.refresh_from_db()
    body = client.get(ask_url(ask)).content.decode()
    assert "Open: your group and cohort only until" in body

    FundingAsk.objects.filter(pk=ask.pk).update(public_from=timezone.now())
    assert "Open: funders see it and can pledge." in client.get(ask_url(ask)).content.decode()

    services.pledge_create(user=world.a.funder, ask=ask, amount="300.00")
    assert (
        "Funded: the pledges reached the amount asked." in client.get(ask_url(ask)).content.decode()
    )

    FundingAsk.objects.filter(pk=ask.pk).update(state=FundingAsk.State.EXPIRED)
    assert "Expired: the deadline passed." in client.get(ask_url(ask)).content.decode()


def test_a_declined_ask_shows_the_reason_and_owners_change_it_and_send_it_again(world, client):
    venture = a_venture(world.a)
    ask = services.ask_submit(seat=seat_of(world.a), ask=an_ask(world.a, venture))
    staff = policy.access_partner(world.a.staff, world.a.partner.slug)
    services.ask_review(
        seat=staff, ask=ask, decision="decline", reason="Say what the cooler costs."
    )

    signed_in(client, world.a.seed_member)
    body = client.get(ask_url(ask)).content.decode()
    assert "Not approved by the partner." in body
    assert "The reason: Say what the cooler costs." in body
    assert reverse("ask_edit", args=[ask.pk]) in body
    assert "Change and send again" in body

    edit = client.get(reverse("ask_edit", args=[ask.pk]))
    assert edit.context["form"].initial["amount"] == Decimal("300.00")
    response = client.post(
        reverse("ask_edit", args=[ask.pk]),
        ask_data(amount="280.00", purpose="A steamer (200) and a cooler (80)"),
    )
    assert response["Location"] == reverse("ask_send", args=[ask.pk])
    ask.refresh_from_db()
    assert (ask.amount, ask.state) == (Decimal("280.00"), FundingAsk.State.DECLINED)
    assert AuditEvent.objects.filter(verb="ask.revise", actor=world.a.seed_member).exists()

    client.post(reverse("ask_send", args=[ask.pk]))
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.IN_REVIEW


def test_an_ask_already_sent_cannot_be_changed(world, client):
    venture = a_venture(world.a)
    ask = opened(world.a, an_ask(world.a, venture))
    signed_in(client, world.a.seed_member)
    response = client.post(reverse("ask_edit", args=[ask.pk]), ask_data(amount="5"))
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.amount == Decimal("300.00")


def test_owners_see_who_pledged_and_other_families_see_the_total_only(world, client):
    venture = a_venture(world.a, visibility="cohort")
    ask = opened(world.a, an_ask(world.a, venture))
    world.a.funder.funder_profile.organization = "Riverside Fund"
    world.a.funder.funder_profile.save()
    services.pledge_create(user=world.a.funder, ask=ask, amount="120.00")

    response = signed_in(client, world.a.seed_member).get(ask_url(ask))
    assert response.status_code == 200
    owners_view = response.content.decode()
    assert "Riverside Fund" in owners_view
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in owners_view

    other_user, _family = other_group_member(world.a)
    response = signed_in(client, other_user).get(ask_url(ask))
    assert response.status_code == 200
    others_view = response.content.decode()
    assert f"{money('120.00', 'USD')} of {money('300.00', 'USD')} pledged" in others_view
    assert "1 pledge" in others_view
    assert "Riverside Fund" not in others_view
    assert reverse("family_ask_close", args=[ask.pk]) not in others_view


def test_other_families_never_see_a_draft_ask(world, client):
    venture = a_venture(world.a, visibility="group")
    draft = an_ask(world.a, venture)
    signed_in(client, world.a.friend_member)
    assert client.get(ask_url(draft)).status_code == 404
    page = client.get(detail_url(venture))
    assert page.status_code == 200
    assert "Tamales on Saturdays" in page.content.decode()
    assert draft.pk not in [item["ask"].pk for item in page.context["asks"]]


def test_owners_close_an_ask_after_being_asked_first(world, client):
    venture = a_venture(world.a)
    ask = opened(world.a, an_ask(world.a, venture))
    url = reverse("family_ask_close", args=[ask.pk])
    signed_in(client, world.a.seed_member)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Yes, close it" in confirm.content.decode()
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN

    response = client.post(url)
    assert response["Location"] == ask_url(ask)
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.CLOSED
    assert "Closed: nobody can pledge any more." in client.get(ask_url(ask)).content.decode()


def test_a_non_owner_cannot_close_or_send_an_ask(world, client):
    venture = a_venture(world.a, visibility="group")
    ask = opened(world.a, an_ask(world.a, venture))
    signed_in(client, world.a.friend_member)
    assert client.post(reverse("family_ask_close", args=[ask.pk])).status_code == 403
    assert client.post(reverse("ask_send", args=[ask.pk])).status_code == 403
    ask.refresh_from_db()
    assert ask.state == FundingAsk.State.OPEN
    assert not Pledge.objects.exists()


# Query counts ------------------------------------------------------------------------------------


def _many_ventures(tenant, count: int) -> None:
    """Ventures of other families of the cohort, each with an open ask, shared with the cohort."""
    group = factories.GroupFactory(cohort=tenant.cohort, name=f"Busy group {count}")
    now = timezone.now()
    for n in range(count):
        family = factories.FamilyFactory(group=group, name=f"Household {count}-{n}")
        venture = Venture.objects.create(
            partner=tenant.partner,
            cohort=tenant.cohort,
            name=f"Venture {n:03}",
            kind="new",
            sector="food",
            description="Food",
            visibility="cohort",
        )
        venture.owners.add(family)
        FundingAsk.objects.create(
            partner=tenant.partner,
            venture=venture,
            kind="donation",
            amount="100.00",
            currency=tenant.partner.currency,
            purpose="Stock",
            deadline=days_from_today(30),
            state=FundingAsk.State.OPEN,
            opened_at=now,
            public_from=now,
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_ventures_list_query_count_does_not_grow_with_ventures(world, client):
    a_venture(world.a)
    signed_in(client, world.a.seed_member)
    _many_ventures(world.a, 10)
    few = _queries(client, LIST)
    _many_ventures(world.a, 90)
    many = _queries(client, LIST)
    assert many == few


def test_the_venture_page_query_count_does_not_grow_with_updates_and_versions(world, client):
    world.a.cohort.started_on = clock.month(-13)  # a year of updates fits in the cohort
    world.a.cohort.save()
    venture = a_venture(world.a)
    seat = seat_of(world.a)
    signed_in(client, world.a.seed_member)
    services.venture_post_update(
        seat=seat, venture=venture, period=clock.period(-12), revenue="10", costs="5"
    )
    few = _queries(client, detail_url(venture))
    for month in range(-11, 0):
        services.venture_post_update(
            seat=seat, venture=venture, period=clock.period(month), revenue="10", costs="5"
        )
        services.venture_plan_revise(seat=seat, venture=venture, plan=PlanInput())
    many = _queries(client, detail_url(venture))
    assert many == few


def test_owners_make_their_venture_public_so_funders_can_see_its_asks(world, client):
    from django.urls import reverse

    from accounts.models import AuditEvent
    from families.access import FamilySeat
    from ventures import services as venture_services
    from ventures.models import Venture

    venture = venture_services.venture_create(
        seat=FamilySeat(user=world.a.seed_member, family=world.a.seed_family),
        name="Bike repairs",
        kind="new",
        sector="services",
        description="Fixing neighbours' bikes.",
        visibility="group",
    )
    url = reverse("venture_visibility", args=[venture.pk])
    client.force_login(world.a.friend_member)  # sees it (same group) but does not own it
    assert client.post(url, {"visibility": "public"}).status_code == 403
    client.force_login(world.a.seed_member)
    assert client.post(url, {"visibility": "everyone"}).status_code in (302, 400)
    assert Venture.objects.get(pk=venture.pk).visibility == "group"
    response = client.post(url, {"visibility": "public"})
    assert response.status_code == 302
    assert Venture.objects.get(pk=venture.pk).visibility == "public"
    assert AuditEvent.objects.filter(verb="venture.visibility").count() == 1
    client.force_login(world.a.staff)
    assert client.post(url, {"visibility": "group"}).status_code == 404
