from celery.schedules import crontab

BEAT_SCHEDULE = {
    "skills-confirmation-reminders": {
        "task": "skills.send_confirmation_reminders",
        "schedule": crontab(hour=6, minute=15),
    },
}
