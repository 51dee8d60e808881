"""The nightly job: every partner's trends and practices, then the countries.

A run is keyed by its Celery task id, which stays the same when the broker hands the job of a
dead worker to another one. Each partner is recomputed and marked done in one transaction, so
a run taken up again goes on from the partners not yet done: a partner is never left half
written, and its rows come out exactly as in a run that was never interrupted. Recomputing is
idempotent anyway; resuming saves redoing the partners already done.
"""

from __future__ import annotations

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Partner
from changemakers import diffusion, trends
from changemakers.models import TrendsRun, TrendsRunPartner

log = logging.getLogger(__name__)

# Finished or abandoned runs are kept this long, to see when the job last ran and how far.
KEEP_RUNS = datetime.timedelta(days=30)


def run_partners_done(key: str) -> int:
    return TrendsRunPartner.objects.filter(run__key=key).count()


def run_partner(*, run: TrendsRun, partner_id: int) -> bool:
    """Recompute one partner and mark it done, unless this run has done it already (another
    copy of the job may have, while this one waited for the lock)."""
    with transaction.atomic():
        try:
            trends.lock_partner(partner_id)
            if TrendsRunPartner.objects.filter(run=run, partner_id=partner_id).exists():
                return False
            if not Partner.objects.filter(pk=partner_id).exists():
                return False  # deleted since the run listed it
            trends.recompute_partner(partner_id)
            diffusion.diffusion_recompute(partner_id)
            TrendsRunPartner.objects.create(run=run, partner_id=partner_id)
            return True
        except SoftTimeLimitExceeded:
            # The limit may strike while a statement runs: the connection is then mid-query
            # and cannot even roll back. Closing it makes PostgreSQL roll the partner back;
            # the next query opens a fresh connection.
            connection.close()
            raise


def nightly_recompute(*, key: str) -> int:
    """Run (or go on with) the nightly recomputation `key`; returns how many partners the run
    has done. Safe to call again at any point; once the run is finished it does nothing."""
    run, _created = TrendsRun.objects.get_or_create(key=key)
    if run.finished_at is not None:
        return run.partners_done.count()
    done = set(run.partners_done.values_list("partner_id", flat=True))
    if done:
        log.info("Trends run %s goes on after %d partner(s) already done", key, len(done))
    for partner_id in Partner.objects.order_by("pk").values_list("pk", flat=True):
        if partner_id not in done:
            run_partner(run=run, partner_id=partner_id)
    trends.recompute_countries()
    now = timezone.now()
    TrendsRun.objects.filter(pk=run.pk).update(finished_at=now)
    TrendsRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return run.partners_done.count()
