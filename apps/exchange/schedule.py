from datetime import timedelta

BEAT_SCHEDULE = {
    "exchange-decision-reminders": {"task": "exchange.send_decision_reminders", "schedule": timedelta(hours=1)},
    "exchange-people-reminders": {"task": "exchange.remind_people", "schedule": timedelta(hours=1)},
    "exchange-close-overdue": {"task": "exchange.close_overdue", "schedule": timedelta(hours=1)},
}
