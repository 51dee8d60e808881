"""Background jobs that learn from verified data: trends, the spread of practices, and the
monthly search for Everyday Changemakers. Each is safe to run twice."""

from __future__ import annotations

import datetime
import logging
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django import db
from django.utils import timezone

from accounts.models import Partner

log = logging.getLogger(__name__)


def _month(value: str | None) -> datetime.date | None:
    return None if not value else datetime.date.fromisoformat(value[:7] + "-01")


def previous_month(today: datetime.date | None = None) -> datetime.date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


@shared_task
def trends_recompute_family(family_id: int) -> None:
    """After a verification: that family's months and its group's, cohort's and partner's
    aggregates."""
    from changemakers import trends

    trends.recompute_family(family_id)


@shared_task
def trends_recompute_partner(partner_id: int, month: str | None = None) -> None:
    """One partner (optionally one month, "YYYY-MM"), then the spread of its practices."""
    from changemakers import diffusion, trends

    trends.recompute_partner(partner_id, period=_month(month))
    diffusion.diffusion_recompute(partner_id)


def stopped_by_time_limit(error: BaseException | None) -> bool:
    """Whether `error` is the soft time limit, or what it caused on its way out (a rollback
    that failed because the limit struck mid-query)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, SoftTimeLimitExceeded):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


@shared_task(bind=True)
def trends_recompute_all(self, run: str | None = None) -> int:
    """Nightly: every partner's trends and practices, then the countries. A redelivered job
    (same task id) goes on from the partners not yet done; one stopped by its soft time limit
    hands the rest to a fresh job of the same run, as long as it got at least one partner done
    (a partner that alone outlasts the limit would otherwise start over forever)."""
    from changemakers import nightly

    key = run or self.request.id or uuid.uuid4().hex
    before = nightly.run_partners_done(key)
    try:
        partners = nightly.nightly_recompute(key=key)
    except Exception as error:
        if not stopped_by_time_limit(error):
            raise
        # The limit may have struck in the middle of a query: the connection is in no state
        # to roll back or go on, so it is dropped and the next query opens a fresh one.
        db.connection.close()
        done = nightly.run_partners_done(key)
        if done == before:
            log.error("Trends run %s stopped at its time limit without finishing a partner", key)
            raise
        log.warning("Trends run %s reached its time limit after %d partner(s); going on", key, done)
        trends_recompute_all.apply_async(kwargs={"run": key})
        return done
    log.info("Recomputed trends and practices of %d partners", partners)
    return partners


@shared_task
def changemakers_find_candidates(month: str | None = None) -> int:
    """Monthly: score families, groups and ventures of the month just ended (or "YYYY-MM")."""
    from changemakers import scoring

    period = _month(month) or previous_month()
    surfaced = 0
    for partner_id in Partner.objects.order_by("pk").values_list("pk", flat=True):
        surfaced += scoring.candidates_compute(partner_id, period)
    log.info("Surfaced %d Everyday Changemaker candidates for %s", surfaced, period)
    return surfaced
