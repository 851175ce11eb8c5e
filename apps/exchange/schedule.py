from datetime import timedelta

BEAT_SCHEDULE = {
    "exchange-decision-reminders": {"task": "exchange.send_decision_reminders", "schedule": timedelta(hours=1)},
}
