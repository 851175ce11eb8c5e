from datetime import timedelta

BEAT_SCHEDULE = {
    "reports-refresh-views": {"task": "reports.refresh_views", "schedule": timedelta(minutes=15)},
    # Figures follow the data within a minute: this check costs two catalogue queries when nothing changed.
    "reports-refresh-stale-views": {"task": "reports.refresh_stale_views", "schedule": timedelta(seconds=30)},
}
