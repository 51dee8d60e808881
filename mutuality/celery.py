import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutuality.settings")

app = Celery("mutuality")
# Every Celery setting lives in Django's settings with a CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
