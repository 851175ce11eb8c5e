from __future__ import annotations

from collections.abc import Callable

from celery import shared_task
from django.core.cache import cache

from .services import exchange_request_send_reminders, exchange_requests_close_overdue, exchange_requests_remind_people

REMINDER_LOCK = "exchange:reminders:lock"
PEOPLE_REMINDER_LOCK = "exchange:people-reminders:lock"
CLOSE_LOCK = "exchange:close-overdue:lock"


def _locked(lock: str, job: Callable[[], int]) -> int:
    """Run ``job`` unless another run holds ``lock`` (two beats never run the same job at once)."""
    if not cache.add(lock, "1", timeout=15 * 60):
        return 0
    try:
        return job()
    finally:
        cache.delete(lock)


@shared_task(name="exchange.send_decision_reminders")
def send_decision_reminders() -> int:
    """Remind deciders of requests waiting 7 days (then weekly). A lock keeps two beats from running it at once."""
    return _locked(REMINDER_LOCK, exchange_request_send_reminders)


@shared_task(name="exchange.remind_people")
def remind_people() -> int:
    """Remind participants and experts before the start, then weekly to evaluate until they do or the deadline."""
    return _locked(PEOPLE_REMINDER_LOCK, exchange_requests_remind_people)


@shared_task(name="exchange.close_overdue")
def close_overdue() -> int:
    """Close completed exchanges whose report is in and whose evaluation deadline has passed."""
    return _locked(CLOSE_LOCK, exchange_requests_close_overdue)
