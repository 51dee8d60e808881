"""Register the platform's periodic jobs (settings.PERIODIC_TASKS) in django-celery-beat.

Safe to run on every deploy: it creates or updates each job and disables the jobs it once
registered that are no longer listed.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

PREFIX = "mutuality: "


class Command(BaseCommand):
    help = "Register the periodic jobs in django-celery-beat."

    @transaction.atomic
    def handle(self, *args, **options):
        wanted = {}
        for name, spec in settings.PERIODIC_TASKS.items():
            crontab = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*"}
            crontab.update({key: str(value) for key, value in spec["crontab"].items()})
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute=crontab["minute"],
                hour=crontab["hour"],
                day_of_week=crontab["day_of_week"],
                day_of_month=crontab["day_of_month"],
                month_of_year=crontab.get("month_of_year", "*"),
                timezone="UTC",
            )
            task, created = PeriodicTask.objects.update_or_create(
                name=PREFIX + name,
                defaults={
                    "task": spec["task"],
                    "crontab": schedule,
                    "interval": None,
                    "kwargs": json.dumps(spec.get("kwargs", {})),
                    "enabled": True,
                },
            )
            wanted[task.name] = created
            self.stdout.write(f"{'registered' if created else 'updated'}: {task.name}")
        stale = PeriodicTask.objects.filter(name__startswith=PREFIX, enabled=True).exclude(
            name__in=wanted
        )
        for task in stale:
            self.stdout.write(f"disabled: {task.name}")
        stale.update(enabled=False)
        PeriodicTasks.update_changed()  # so a running beat reloads its schedule
        self.stdout.write(self.style.SUCCESS(f"{len(wanted)} periodic job(s) registered."))
