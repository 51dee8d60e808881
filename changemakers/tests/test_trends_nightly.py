"""The nightly job keeps a record of its run, partner by partner, so that a job the broker hands
to another worker (its own died) goes on from the partners not yet done."""

import datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from changemakers import nightly
from changemakers.diffusion import add_months
from changemakers.models import FamilyMonth, TrendAggregate, TrendsRun, TrendsRunPartner
from changemakers.tasks import trends_recompute_all
from changemakers.tests.trend_data import survey


def months_ago(count: int) -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -count)


def surveyed(world):
    """Two months of partner A's seed family and of partner B's: income up in both."""
    survey(world.a.seed_family, months_ago(2), income_wages=800)
    survey(world.a.seed_family, months_ago(1), income_wages=1000)
    survey(world.b.seed_family, months_ago(2), income_wages=5000)
    survey(world.b.seed_family, months_ago(1), income_wages=5500)


def cohort_change(tenant, months: int) -> Decimal:
    return TrendAggregate.objects.get(
        scope_key=f"cohort:{tenant.cohort.pk}", period=months_ago(months)
    ).median_income_change


def test_the_nightly_job_records_its_run_with_every_partner_and_computes_the_countries(world):
    surveyed(world)
    result = trends_recompute_all.apply(task_id="night-1")

    assert result.get() == 2
    run = TrendsRun.objects.get(key="night-1")
    assert run.finished_at is not None
    assert set(run.partners_done.values_list("partner", flat=True)) == {
        world.a.partner.pk,
        world.b.partner.pk,
    }
    assert cohort_change(world.a, 1) == Decimal("200.00")
    assert cohort_change(world.b, 1) == Decimal("500.00")
    assert TrendAggregate.objects.filter(scope_key="country:LR", period=months_ago(1)).exists()


def test_a_run_taken_up_again_goes_on_from_the_partners_not_yet_done(world):
    surveyed(world)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        # The first attempt did partner A, then its worker died.
        run = TrendsRun.objects.create(key="night-2")
        assert nightly.run_partner(run=run, partner_id=world.a.partner.pk)
        a_done_at = timezone.now()
        clock.shift(datetime.timedelta(minutes=5))
        # A's family corrects last month before the job is taken up again.
        survey(world.a.friend_family, months_ago(1), income_wages=10)

        assert nightly.nightly_recompute(key="night-2") == 2

    run.refresh_from_db()
    assert run.finished_at == a_done_at + datetime.timedelta(minutes=5)
    # A was not done a second time in this run; B was done once.
    a_rows = FamilyMonth.objects.filter(partner=world.a.partner)
    assert set(a_rows.values_list("computed_at", flat=True)) == {a_done_at}
    assert not a_rows.filter(family=world.a.friend_family).exists()
    assert TrendsRunPartner.objects.filter(run=run).count() == 2
    assert cohort_change(world.b, 1) == Decimal("500.00")
    # The next night's run sees the friend family's month.
    trends_recompute_all.apply(task_id="night-3")
    assert a_rows.filter(family=world.a.friend_family).count() == 1


def test_a_finished_run_delivered_once_more_changes_nothing(world):
    surveyed(world)
    trends_recompute_all.apply(task_id="night-4")
    survey(world.a.friend_family, months_ago(1), income_wages=10)

    assert trends_recompute_all.apply(task_id="night-4").get() == 2
    assert not FamilyMonth.objects.filter(family=world.a.friend_family).exists()
    assert TrendsRun.objects.filter(key="night-4").count() == 1
    trends_recompute_all.apply(task_id="night-5")
    assert FamilyMonth.objects.filter(family=world.a.friend_family).exists()


def test_runs_are_kept_a_month(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        trends_recompute_all.apply(task_id="old night")
        clock.shift(nightly.KEEP_RUNS + datetime.timedelta(days=1))
        trends_recompute_all.apply(task_id="tonight")

    assert list(TrendsRun.objects.values_list("key", flat=True)) == ["tonight"]
    assert not TrendsRunPartner.objects.filter(run__key="old night").exists()


def test_called_without_a_task_id_the_job_still_runs_once(world):
    surveyed(world)
    assert trends_recompute_all() == 2  # as seed_demo calls it, in-process
    [run] = TrendsRun.objects.all()
    assert run.finished_at is not None and run.partners_done.count() == 2
