"""Generate a large, realistic load for benchmarks: `manage.py generate_load --partners 4
--families 25000 --months 24` (100,000 households, 2.4 million verified surveys).

Refused in production and in demo mode (the demo database is for showing the product, and a
load would bury the demo cohorts). Generated partners have slugs starting with "load-";
`--reset` deletes them first.
"""

import datetime
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Create P partners with N households EACH (cohorts of about 100, groups of a seed and "
        "nine friends) and M months of verified surveys per household, with the practices they "
        "reported and a few ventures with jobs. Reproducible: the same --seed gives the same "
        "rows. Rows are written directly (COPY on PostgreSQL), without audit events, reviews or "
        "stipends. Not in production, not in demo mode."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--partners", type=positive, default=1, help="partners to create (default 1)"
        )
        parser.add_argument(
            "--families",
            type=positive,
            default=1000,
            help="households PER PARTNER (default 1000)",
        )
        parser.add_argument(
            "--months",
            type=positive,
            default=24,
            help="months of verified surveys per household (default 24)",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed: the same seed, the same load"
        )
        parser.add_argument(
            "--last-month",
            default=None,
            help="the last surveyed month, YYYY-MM (default: last month)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help='delete the partners of an earlier load (slugs "load-...") first',
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("generate_load never runs in production.")
        if settings.DEMO_MODE:
            raise CommandError(
                "generate_load does not run in demo mode: the load would bury the demo data. "
                "Point DATABASE_URL at a database of its own, without DEMO_MODE."
            )
        last_period = None
        if options["last_month"]:
            match = MONTH.match(options["last_month"])
            if not match:
                raise CommandError("--last-month must look like 2026-05.")
            last_period = datetime.date(int(match[1]), int(match[2]), 1)

        from bench import load

        if options["reset"]:
            removed = load.reset()
            self.stdout.write(f"Deleted {removed} generated partner(s) and their rows.")
        elif load.existing_load_partners():
            raise CommandError("A load exists already: add --reset to replace it.")

        verbose = options["verbosity"] > 1
        summary = load.generate(
            partners=options["partners"],
            families=options["families"],
            months=options["months"],
            seed=options["seed"],
            last_period=last_period,
            progress=self.stdout.write if verbose else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {summary.partners} partners ({', '.join(summary.partner_slugs)}), "
                f"{summary.cohorts} cohorts, {summary.groups} groups, "
                f"{summary.families} households, {summary.surveys} verified surveys "
                f"({summary.first_period:%Y-%m} to {summary.last_period:%Y-%m}), "
                f"{summary.action_reports} practice reports, {summary.ventures} ventures with "
                f"{summary.venture_updates} monthly updates in {summary.seconds:.1f} s."
            )
        )
