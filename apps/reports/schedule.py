from datetime import timedelta

BEAT_SCHEDULE = {
    "reports-refresh-views": {"task": "reports.refresh_views", "schedule": timedelta(minutes=15)},
}
