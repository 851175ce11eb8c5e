from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Monday morning: content editors get the sheets due for review.
    "returns-remind-stale-sheets": {
        "task": "returns.remind_stale_sheets",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # Every hour: attendees of events that ended get the evaluation form once.
    "returns-send-evaluation-requests": {"task": "returns.send_evaluation_requests", "schedule": crontab(minute=15)},
}
