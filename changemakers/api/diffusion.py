"""Which practices spread in a cohort: adopters month by month, the Bass model fit and the
sentence staff read, per practice."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from accounts import policy
from changemakers.api.common import cohort_for_staff
from changemakers.api.practices import PracticeRefSerializer
from changemakers.selectors import diffusion as selectors
from families.api.common import PaginatedAPIView, errors


class AdoptionMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    new_adopters = serializers.IntegerField(
        help_text="Families whose first verified report of the practice is this month."
    )
    adopters = serializers.IntegerField(help_text="Families that had adopted it by then.")


class BassFitSerializer(serializers.Serializer):
    p = serializers.FloatField(help_text="Innovation: adopting on one's own, per month.")
    q = serializers.FloatField(help_text="Imitation: adopting because peers did, per month.")
    peak_month = serializers.CharField(
        allow_null=True,
        help_text="YYYY-MM: the month new adoptions peak (past or expected); null when too "
        "far out to say.",
    )


class PracticeSpreadSerializer(serializers.Serializer):
    practice = PracticeRefSerializer()
    families = serializers.IntegerField(help_text="The cohort's families: all who could adopt.")
    adopters = serializers.IntegerField(help_text="Families that adopted it so far.")
    share = serializers.FloatField(help_text="adopters / families, 0 to 1.")
    recent_adopters = serializers.IntegerField(
        help_text="Families that started in the last three months of the cohort's data."
    )
    pace = serializers.ChoiceField(
        choices=[
            selectors.FAST,
            selectors.SLOW,
            selectors.NOT_NOW,
            selectors.NEARLY_EVERYONE,
        ],
        help_text="nearly_everyone: 90% of the families or more; not_now: nobody started in "
        "the last three months; fast: 10% of the families or more started in them; else slow.",
    )
    months = AdoptionMonthSerializer(
        many=True,
        help_text="From the first adopters to the cohort's latest verified month, months "
        "without new adopters included.",
    )
    fit = BassFitSerializer(
        allow_null=True,
        help_text="The Bass model fitted to the cumulative curve (market potential: the "
        "cohort's families); null until there are 4 months and 3 adopters, or when the fit "
        "did not converge.",
    )
    sentence = serializers.CharField(help_text="The spread in words, in the caller's language.")


def spread_data(spread: selectors.PracticeSpread) -> dict:
    fit = spread.fit
    return {
        "practice": {"slug": spread.practice.slug, "name": spread.name},
        "families": fit.families,
        "adopters": fit.adopters,
        "share": spread.share,
        "recent_adopters": fit.recent_adopters,
        "pace": spread.pace,
        "months": [
            {
                "month": point.period.strftime("%Y-%m"),
                "new_adopters": point.new_adopters,
                "adopters": point.adopters,
            }
            for point in spread.points
        ],
        "fit": (
            {
                "p": fit.p,
                "q": fit.q,
                "peak_month": fit.peak_period.strftime("%Y-%m") if fit.peak_period else None,
            }
            if spread.has_fit
            else None
        ),
        "sentence": spread.sentence,
    }


class CohortDiffusionView(PaginatedAPIView):
    """Which practices spread in a cohort, the most adopted first: adopters month by month
    (each family counted once, in the month of its first verified report), the Bass model fit
    when there are enough points, and a sentence for staff. Recomputed nightly. For the
    partner's staff and admins: liaisons and the cohort's own families get 403, anyone else
    404."""

    @extend_schema(responses={200: PracticeSpreadSerializer(many=True), **errors(403, 404)})
    def get(self, request, cohort_id):
        seat, cohort = cohort_for_staff(request.user, cohort_id)
        policy.require(seat, "diffusion.view")
        return self.paginate(
            selectors.cohort_fits(cohort),
            lambda page: (
                PracticeSpreadSerializer(
                    [spread_data(spread) for spread in selectors.practice_spreads(cohort, page)],
                    many=True,
                ).data
            ),
        )
