"""The Celery app. Tasks are thin wrappers that pass ids to services (see doelen/tasks.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zelfsturing.settings")

app = Celery("zelfsturing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
