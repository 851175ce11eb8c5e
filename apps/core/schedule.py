from datetime import timedelta

BEAT_SCHEDULE = {
    "core-heartbeat": {"task": "core.heartbeat", "schedule": timedelta(minutes=1)},
}
