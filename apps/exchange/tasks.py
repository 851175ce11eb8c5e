from __future__ import annotations

from celery import shared_task

from apps.core.locks import one_at_a_time

from .services import exchange_request_send_reminders

REMINDER_LOCK = "exchange:reminders:lock"


@shared_task(name="exchange.send_decision_reminders")
@one_at_a_time(REMINDER_LOCK, timeout=15 * 60, skipped=0)
def send_decision_reminders() -> int:
    """Remind deciders of requests waiting 7 days (then weekly). Two runs never overlap."""
    return exchange_request_send_reminders()
