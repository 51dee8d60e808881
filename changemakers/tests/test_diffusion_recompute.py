"""The diffusion job: adopters per month from verified surveys only (each family once, in its
first month), the cumulative curve, the Bass fit and its peak, and the same rows when run twice.
"""

import math

import pytest

from changemakers.diffusion import (
    FIT_MIN_ADOPTERS,
    FIT_MIN_MONTHS,
    diffusion_recompute,
    fit_bass,
    peak_offset,
)
from changemakers.models import DiffusionFit, PracticeAdoption
from changemakers.tests.diffusion_data import (
    adopt_along,
    bass_counts,
    cohort_with_families,
    month,
    practice,
    survey,
)
from surveys.models import SurveyResponse


def curve(cohort, slug) -> list[tuple]:
    return list(
        PracticeAdoption.objects.filter(cohort=cohort, practice=practice(slug))
        .order_by("period")
        .values_list("period", "new_adopters", "adopters")
    )


def snapshot(partner) -> tuple[list, list]:
    adoption = list(
        PracticeAdoption.objects.filter(partner=partner)
        .order_by("cohort_id", "practice_id", "period")
        .values_list("cohort_id", "practice_id", "period", "new_adopters", "adopters")
    )
    fits = list(
        DiffusionFit.objects.filter(partner=partner)
        .order_by("cohort_id", "practice_id")
        .values_list(
            "cohort_id",
            "practice_id",
            "families",
            "adopters",
            "first_period",
            "last_period",
            "months",
            "recent_adopters",
            "p",
            "q",
            "peak_period",
        )
    )
    return adoption, fits


@pytest.fixture
def riverside(world):
    """Ten families of partner A; their reports, month by month:

    month 0: f0 and f1 join a savings circle (verified); f2 too, but its survey is only
             submitted; f3 opens a savings account
    month 1: f0 again, f2 again (now verified: it counts here), f4 joins
    month 2: nobody starts a savings circle; f5 verified with no practice
    month 3: f0 again; f6 joins
    """
    cohort, f = cohort_with_families(world.a.partner, 10)
    survey(f[0], month(0), ["savings-circle"])
    survey(f[1], month(0), ["savings-circle"])
    survey(f[2], month(0), ["savings-circle"], state=SurveyResponse.State.SUBMITTED)
    survey(f[3], month(0), ["opened-savings-account"])
    survey(f[0], month(1), ["savings-circle"])
    survey(f[2], month(1), ["savings-circle"])
    survey(f[4], month(1), ["savings-circle", "opened-savings-account"])
    survey(f[5], month(2), [])
    survey(f[0], month(3), ["savings-circle"])
    survey(f[6], month(3), ["savings-circle"])
    return cohort, f


def test_each_family_counts_once_in_the_month_of_its_first_verified_report(world, riverside):
    cohort, _families = riverside
    diffusion_recompute(world.a.partner.pk)

    # f0 reported it in three months and counts once, in month 0; f2's unverified month 0
    # does not count, its verified month 1 does. Month 2 had no new adopters: no row.
    assert curve(cohort, "savings-circle") == [
        (month(0), 2, 2),
        (month(1), 2, 4),
        (month(3), 1, 5),
    ]
    assert curve(cohort, "opened-savings-account") == [(month(0), 1, 1), (month(1), 1, 2)]


def test_the_fit_row_counts_months_without_adopters_and_the_recent_ones(world, riverside):
    cohort, _families = riverside
    diffusion_recompute(world.a.partner.pk)

    circle = DiffusionFit.objects.get(cohort=cohort, practice=practice("savings-circle"))
    assert circle.families == 10
    assert circle.adopters == 5
    assert (circle.first_period, circle.last_period) == (month(0), month(3))
    assert circle.months == 4  # month 2 counts, as zero
    assert circle.recent_adopters == 3  # months 1 to 3

    # Nobody opened a savings account after month 1, but the cohort's data runs to month 3.
    account = DiffusionFit.objects.get(cohort=cohort, practice=practice("opened-savings-account"))
    assert (account.first_period, account.last_period, account.months) == (month(0), month(3), 4)
    assert account.adopters == 2
    assert account.recent_adopters == 1  # f4 in month 1
    # Fewer than three adopters: no fit.
    assert (account.p, account.q, account.peak_period) == (None, None, None)


def test_running_twice_gives_the_same_rows(world, riverside):
    diffusion_recompute(world.a.partner.pk)
    first = snapshot(world.a.partner)
    diffusion_recompute(world.a.partner.pk)
    assert snapshot(world.a.partner) == first
    assert PracticeAdoption.objects.filter(partner=world.a.partner).count() == 5


def test_rows_that_no_longer_follow_from_the_data_go_away(world, riverside):
    cohort, families = riverside
    diffusion_recompute(world.a.partner.pk)
    # f6's month 3 goes back to the family for a correction; f3 and f4's account reports vanish.
    SurveyResponse.objects.filter(family=families[6], period=month(3)).update(
        state=SurveyResponse.State.NEEDS_CORRECTION
    )
    practice("opened-savings-account").reports.filter(cohort=cohort).delete()

    diffusion_recompute(world.a.partner.pk)

    assert curve(cohort, "savings-circle") == [(month(0), 2, 2), (month(1), 2, 4)]
    assert curve(cohort, "opened-savings-account") == []
    assert not DiffusionFit.objects.filter(practice=practice("opened-savings-account")).exists()
    circle = DiffusionFit.objects.get(cohort=cohort, practice=practice("savings-circle"))
    assert (circle.adopters, circle.months, circle.recent_adopters) == (4, 4, 2)


def test_other_cohorts_and_partners_do_not_mix(world, riverside):
    cohort, _families = riverside
    other_cohort, others = cohort_with_families(world.a.partner, 3, name="Hillside")
    survey(others[0], month(0), ["savings-circle"])
    _b_cohort, b_families = cohort_with_families(world.b.partner, 4, name="Bay")
    survey(b_families[0], month(0), ["savings-circle"])
    survey(b_families[1], month(1), ["savings-circle"])

    diffusion_recompute(world.a.partner.pk)

    assert curve(cohort, "savings-circle")[0] == (month(0), 2, 2)
    assert curve(other_cohort, "savings-circle") == [(month(0), 1, 1)]
    hillside = DiffusionFit.objects.get(cohort=other_cohort)
    assert (hillside.families, hillside.adopters) == (3, 1)
    # Partner B's rows are B's job's: nothing of B was written, nothing of A counts B's.
    assert not PracticeAdoption.objects.filter(partner=world.b.partner).exists()
    assert not DiffusionFit.objects.filter(partner=world.b.partner).exists()

    diffusion_recompute(world.b.partner.pk)
    assert PracticeAdoption.objects.filter(partner=world.b.partner).count() == 2
    # B's run leaves A's rows alone.
    assert curve(cohort, "savings-circle")[-1] == (month(3), 1, 5)


def test_a_partner_without_reports_gets_no_rows_and_a_missing_partner_is_no_error(world):
    diffusion_recompute(world.a.partner.pk)
    assert not PracticeAdoption.objects.exists()
    assert not DiffusionFit.objects.exists()
    diffusion_recompute(987654)


# The Bass model ---------------------------------------------------------------------------------


def test_the_fit_recovers_known_p_and_q_and_the_peak_month():
    p, q, m = 0.03, 0.4, 100
    fit = fit_bass(bass_counts(p, q, m, 18), m)
    assert fit is not None
    assert fit.p == pytest.approx(p, abs=0.01)
    assert fit.q == pytest.approx(q, abs=0.05)
    # t* = ln(q/p) / (p+q) = 6.02 months: in month 6 counted from 0, the seventh.
    assert math.log(q / p) / (p + q) == pytest.approx(6.02, abs=0.01)
    assert fit.peak_offset == 6


def test_the_job_fits_the_curve_and_dates_the_peak(world):
    cohort, families = cohort_with_families(world.a.partner, 100)
    adopt_along(families, bass_counts(0.03, 0.4, 100, 18), "savings-circle")

    diffusion_recompute(world.a.partner.pk)

    fit = DiffusionFit.objects.get(cohort=cohort)
    assert (fit.families, fit.adopters, fit.months) == (100, 99, 18)
    assert (fit.first_period, fit.last_period) == (month(0), month(17))
    assert fit.recent_adopters == 1  # months 15-17: 98 -> 99 -> 99 -> 99
    assert fit.p == pytest.approx(0.03, abs=0.01)
    assert fit.q == pytest.approx(0.4, abs=0.05)
    assert fit.peak_period == month(6)
    assert [row[2] for row in curve(cohort, "savings-circle")][-1] == 99


def test_too_few_points_give_no_fit():
    # Three months are not enough, however many adopters.
    assert fit_bass([10, 30, 60], 100) is None
    # Enough months, too few adopters.
    assert fit_bass([0, 1, 1, 2, 2, 2], 100) is None
    assert FIT_MIN_MONTHS == 4 and FIT_MIN_ADOPTERS == 3
    # Just enough: a fit.
    assert fit_bass([1, 2, 3, 4], 100) is not None
    # More adopters than families is no market to fit.
    assert fit_bass([5, 10, 15, 20], 12) is None


def test_the_peak_is_the_start_when_imitation_is_weaker_than_innovation():
    assert peak_offset(0.3, 0.1) == 0
    assert peak_offset(0.03, 0.4) == 6
    # Too far out to say.
    assert peak_offset(0.0001, 0.02) is None


def test_a_fit_that_does_not_converge_leaves_p_and_q_empty(world, monkeypatch):
    from changemakers import diffusion

    def fail(*args, **kwargs):
        raise RuntimeError("Optimal parameters not found")

    monkeypatch.setattr(diffusion, "curve_fit", fail)
    cohort, families = cohort_with_families(world.a.partner, 20)
    adopt_along(families, [2, 5, 9, 12, 14], "savings-circle")

    diffusion_recompute(world.a.partner.pk)

    fit = DiffusionFit.objects.get(cohort=cohort)
    assert (fit.adopters, fit.months) == (14, 5)
    assert (fit.p, fit.q, fit.peak_period) == (None, None, None)


def test_a_second_partner_in_the_database_keeps_its_fits(world):
    """Each partner's run deletes only its own stale rows."""
    cohort_b, b_families = cohort_with_families(world.b.partner, 5, name="Bay")
    survey(b_families[0], month(0), ["savings-circle"])
    diffusion_recompute(world.b.partner.pk)
    diffusion_recompute(world.a.partner.pk)
    assert DiffusionFit.objects.filter(cohort=cohort_b).count() == 1
