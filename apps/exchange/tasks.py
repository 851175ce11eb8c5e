from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .services import exchange_request_send_reminders

REMINDER_LOCK = "exchange:reminders:lock"


@shared_task(name="exchange.send_decision_reminders")
def send_decision_reminders() -> int:
    """Remind deciders of requests waiting 7 days (then weekly). A lock keeps two beats from running it at once."""
    if not cache.add(REMINDER_LOCK, "1", timeout=15 * 60):
        return 0
    try:
        return exchange_request_send_reminders()
    finally:
        cache.delete(REMINDER_LOCK)
