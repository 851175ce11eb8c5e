from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "core-heartbeat": {"task": "core.heartbeat", "schedule": timedelta(minutes=1)},
    "core-purge-idempotency-records": {
        "task": "core.purge_idempotency_records",
        "schedule": crontab(hour=3, minute=30),
    },
}
