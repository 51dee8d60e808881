"""Readiness figures and phase changes, on small hand-made data."""

import datetime

import pytest
from django.utils import timezone

from accounts import policy
from changemakers import selectors, services
from changemakers.models import PhaseChange
from families import services as family_services
from families.access import FamilySeat
from families.models import Post
from mutuality.errors import Conflict, InvalidInput, NotAllowed
from tests import clock
from tests.factories import FamilyFactory, GroupFactory

TODAY = clock.on(-1, 20)


def seat_of(user, tenant):
    return policy.access_partner(user, tenant.partner.slug)


def test_readiness_counts_the_last_three_months_with_trends(world):
    a = world.a
    other_group = GroupFactory(cohort=a.cohort, name="Other group")
    neighbour = FamilyFactory(group=other_group, name="Neighbour household")
    seed = FamilySeat(user=a.seed_member, family=a.seed_family)
    for day in (clock.on(-3, 3), clock.on(-1, 2), clock.on(-1, 9)):
        family_services.help_record(
            seat=seed,
            other_family=neighbour,
            direction="given",
            kind="food",
            estimated_value="10",
            happened_on=day,
        )
    family_services.help_record(
        seat=seed,
        other_family=a.friend_family,
        direction="given",
        kind="childcare",
        estimated_value="5",
        happened_on=clock.on(-2, 4),
    )
    request = family_services.staff_request_create(
        seat=seed, kind="paperwork", subject="Form", body="Which form?"
    )
    type(request).objects.filter(pk=request.pk).update(
        created_at=timezone.make_aware(
            datetime.datetime.combine(clock.on(-3, 15), datetime.time(12))
        )
    )
    post = family_services.post_create(seat=seed, body="We did it")
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(clock.on(-1, 1), datetime.time(9)))
    )

    figures = selectors.readiness(a.cohort, today=TODAY)
    months = {m["month"]: m for m in figures["months"]}
    assert list(months) == [clock.period(-3), clock.period(-2), clock.period(-1)]
    assert months[clock.period(-3)]["help_exchanges"] == 1
    assert months[clock.period(-3)]["help_across_groups"] == 1
    assert months[clock.period(-2)]["help_exchanges"] == 1
    assert months[clock.period(-2)]["help_across_groups"] == 0
    assert months[clock.period(-1)]["help_exchanges"] == 2
    assert months[clock.period(-3)]["requests_to_staff"] == 1
    assert months[clock.period(-1)]["posts"] == 1
    assert months[clock.period(-1)]["families"] == 3
    assert figures["trend"]["help_exchanges"] == "up"
    assert figures["trend"]["requests_to_staff"] == "down"


def test_a_cohort_moves_to_phase_two_early_only_with_a_written_reason(world):
    seat = seat_of(world.a.staff, world.a)
    world.a.cohort.started_on = timezone.localdate() - datetime.timedelta(days=40)
    world.a.cohort.save()
    with pytest.raises(Conflict) as refused:
        services.cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=2)
    assert "override_reason" in refused.value.errors
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1 and not PhaseChange.objects.exists()

    change = services.cohort_change_phase(
        seat=seat, cohort=world.a.cohort, phase=2, override_reason="They run two circles alone."
    )
    assert change.is_override and change.to_phase == 2
    assert [m["month"] for m in change.readiness["months"]]  # the figures of that moment
    with pytest.raises(InvalidInput):
        services.cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=1)
    services.cohort_change_phase(seat=seat, cohort=world.a.cohort, phase=1, reason="Too soon")
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1


def test_liaisons_and_other_partners_cannot_change_phases(world):
    with pytest.raises(NotAllowed):
        services.cohort_change_phase(
            seat=seat_of(world.a.liaison, world.a), cohort=world.a.cohort, phase=2
        )
    with pytest.raises(NotAllowed):
        services.cohort_change_phase(
            seat=seat_of(world.b.staff, world.b), cohort=world.a.cohort, phase=2
        )
    world.a.cohort.refresh_from_db()
    assert world.a.cohort.phase == 1
