"""The ten-friend cap holds when a seed family sends two invitations at the same moment (two
members, two phones): the family's row lock serializes them."""

import pytest
from django.conf import settings

from families.models import FamilyInvitation
from families.services import invitations
from mutuality.errors import Conflict
from tests.races import Race
from tests.seats import seed_seat

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def invite(tenant, n: int):
    return invitations.family_invitation_create(
        seat=seed_seat(tenant), name=f"Friend {n}", email=f"friend{n}@example.org"
    )


def test_two_invitations_at_once_for_the_last_place_make_one(world, monkeypatch):
    # The world's friend family counts as one of the ten; eight more wait.
    for n in range(settings.FRIENDS_PER_SEED - 2):
        invite(world.a, n)
    race = Race(monkeypatch, invitations, "friends_counted")

    first, second = race.run(lambda: invite(world.a, 100), lambda: invite(world.a, 101))

    assert race.saw_a_waiter  # the second was held at the family's lock
    assert isinstance(first, tuple) and first[0].name == "Friend 100"
    assert isinstance(second, Conflict)
    assert "used its 10 invitations" in second.message
    assert FamilyInvitation.objects.filter(family=world.a.seed_family).count() == 9
    assert not FamilyInvitation.objects.filter(name="Friend 101").exists()
