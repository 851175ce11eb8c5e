from celery.schedules import crontab

BEAT_SCHEDULE = {
    "offices-follow-up-digest": {"task": "offices.send_follow_up_digests", "schedule": crontab(hour=6, minute=0)},
}
