"""The shared test world: partners A and B, each with an admin, staff, a liaison, a seed family,
a friend family and a funder. Tests ask for `world` and pick their seat.

The suite's clock: every test runs with the clock moved to noon UTC on the 15th of the current
month (or of `MUTUALITY_TEST_TODAY=YYYY-MM-DD`'s month; CI runs the suite a second time a year
ahead), ticking from there. Tests take their dates from `tests.clock`, never from the calendar.
The `frozen` fixture stops the clock for tests that need an exact instant.

In CI (`CI=true`) a skipped test is a failure: what is skipped there proves nothing.
"""

import os
from dataclasses import dataclass

import pytest
import time_machine

# Playwright drives the browser from the test thread while the live server runs Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from accounts.models import Partner, Role, User
from families.models import Cohort, Family, Group
from tests import factories

pytest_plugins = ["tests.skip_policy", "pytester"]


@dataclass
class Tenant:
    partner: Partner
    admin: User
    staff: User
    liaison: User
    cohort: Cohort
    group: Group
    seed_family: Family
    seed_member: User
    friend_family: Family
    friend_member: User
    funder: User


@dataclass
class World:
    a: Tenant
    b: Tenant
    outsider: User  # signed in, but belongs to nothing


def build_tenant(label: str, country: str, currency: str) -> Tenant:
    partner = factories.PartnerFactory(
        name=f"Partner {label}", slug=f"partner-{label.lower()}", country=country, currency=currency
    )

    def member(role):
        user = factories.UserFactory(email=f"{role}@{label.lower()}.example.org")
        factories.MembershipFactory(partner=partner, user=user, role=role)
        factories.enable_totp(user)
        return user

    admin, staff, liaison = member(Role.ADMIN), member(Role.STAFF), member(Role.LIAISON)
    cohort = factories.CohortFactory(partner=partner, name=f"Cohort {label}")
    cohort.liaisons.add(liaison)
    group = factories.GroupFactory(cohort=cohort, name=f"Group {label}")
    seed = factories.FamilyFactory(group=group, name=f"Seed household {label}", is_seed=True)
    friend = factories.FamilyFactory(
        group=group, name=f"Friend household {label}", invited_by=seed, generation=1
    )
    seed_member = factories.UserFactory(email=f"seed@{label.lower()}.example.org")
    factories.HouseholdMemberFactory(family=seed, user=seed_member, first_name="Sol")
    friend_member = factories.UserFactory(email=f"friend@{label.lower()}.example.org")
    factories.HouseholdMemberFactory(family=friend, user=friend_member, first_name="Fran")
    funder = factories.FunderProfileFactory(
        user=factories.UserFactory(email=f"funder@{label.lower()}.example.org")
    )
    factories.FunderAccessFactory(partner=partner, funder=funder)
    return Tenant(
        partner=partner,
        admin=admin,
        staff=staff,
        liaison=liaison,
        cohort=cohort,
        group=group,
        seed_family=seed,
        seed_member=seed_member,
        friend_family=friend,
        friend_member=friend_member,
        funder=funder.user,
    )


@pytest.fixture
def world(db) -> World:
    return World(
        a=build_tenant("A", "US", "USD"),
        b=build_tenant("B", "LR", "LRD"),
        outsider=factories.UserFactory(email="outsider@example.org"),
    )


@pytest.fixture(autouse=True)
def _suite_clock():
    from tests import clock

    with time_machine.travel(clock.suite_now(), tick=True):
        yield


@pytest.fixture
def frozen():
    """Stops the clock at the suite's "now"; `frozen.shift()` and `frozen.move_to()` move it."""
    from tests import clock

    with time_machine.travel(clock.suite_now(), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.DEMO_MODE = False
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads never land in the checkout
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tasks run in-process in tests, except in the test that starts a real worker."""
    from mutuality.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()
