"""Celery application: configured from Django settings under the CELERY_ namespace.

Periodic jobs are declared next to their tasks: each app may have a ``schedule.py`` with a ``BEAT_SCHEDULE``
dict (data only, no model imports); they are merged here with the settings' CELERY_BEAT_SCHEDULE.
"""

import os
from importlib import import_module

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")

app = Celery("diaspora_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

APPS_WITH_SCHEDULES = ("core", "accounts", "skills", "offices", "returns", "exchange", "outreach", "reports")


@app.on_after_configure.connect
def _collect_beat_schedules(sender, **kwargs):
    schedule = dict(sender.conf.beat_schedule or {})
    for name in APPS_WITH_SCHEDULES:
        try:
            module = import_module(f"apps.{name}.schedule")
        except ModuleNotFoundError as exc:
            if exc.name == f"apps.{name}.schedule":
                continue
            raise
        schedule.update(module.BEAT_SCHEDULE)
    sender.conf.beat_schedule = schedule
