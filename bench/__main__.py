"""Benchmarks: `make bench` (or `python -m bench`).

Builds a partner with many cohorts and families in a throwaway database, then times the pages
and endpoints every user hits first, reporting the median time and the number of SQL queries.
Uses DATABASE_URL when set (run it against PostgreSQL for numbers that mean something).
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuality.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cohorts", type=int, default=20)
    parser.add_argument("--families-per-cohort", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from bench.world import build

        partner_slug, staff, family_user = build(args.cohorts, args.families_per_cohort)
        from django.test import Client
        from rest_framework.test import APIClient

        from accounts.services import api_token_issue

        staff_client = Client()
        staff_client.force_login(staff)
        family_api = APIClient()
        family_api.credentials(HTTP_AUTHORIZATION="Token " + api_token_issue(user=family_user))
        family_client = Client()
        family_client.force_login(family_user)

        cases = [
            ("staff dashboard /p/<slug>/", staff_client, f"/p/{partner_slug}/"),
            ("family home /family/", family_client, "/family/"),
            ("GET /api/v1/me/ (token)", family_api, "/api/v1/me/"),
            ("GET /healthz", Client(), "/healthz"),
        ]
        families = args.cohorts * args.families_per_cohort
        print(f"{args.cohorts} cohorts, {families} families, {connection.vendor}")
        print(f"{'case':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, client, url in cases:
            timings = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
            median = statistics.median(timings)
            print(f"{label:40} {median:10.2f} {p95:8.2f} {len(queries):8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
