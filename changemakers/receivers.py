"""What changemakers does when a lower app reports an event (dependencies flow one way)."""

from surveys.models import SurveyResponse


def recompute_trends_after_verification(sender, response_id: int, **kwargs) -> None:
    """A verified survey changes its family's months and its group's, cohort's and partner's
    aggregates. Sent on commit, so the worker reads the verified row."""
    from changemakers.tasks import trends_recompute_family

    family_id = SurveyResponse.objects.filter(pk=response_id).values_list("family_id", flat=True)
    for pk in family_id:
        trends_recompute_family.delay(pk)
