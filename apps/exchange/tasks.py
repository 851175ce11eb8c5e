from __future__ import annotations

from celery import shared_task

from apps.core.locks import one_at_a_time

from .services import exchange_request_send_reminders, exchange_requests_close_overdue, exchange_requests_remind_people

REMINDER_LOCK = "exchange:reminders:lock"
PEOPLE_REMINDER_LOCK = "exchange:people-reminders:lock"
CLOSE_LOCK = "exchange:close-overdue:lock"


@shared_task(name="exchange.send_decision_reminders")
@one_at_a_time(REMINDER_LOCK, timeout=15 * 60, skipped=0)
def send_decision_reminders() -> int:
    """Remind deciders of requests waiting 7 days (then weekly). Two runs never overlap."""
    return exchange_request_send_reminders()


@shared_task(name="exchange.remind_people")
@one_at_a_time(PEOPLE_REMINDER_LOCK, timeout=15 * 60, skipped=0)
def remind_people() -> int:
    """Remind participants and experts before the start, then weekly to evaluate until they do or the deadline."""
    return exchange_requests_remind_people()


@shared_task(name="exchange.close_overdue")
@one_at_a_time(CLOSE_LOCK, timeout=15 * 60, skipped=0)
def close_overdue() -> int:
    """Close completed exchanges whose report is in and whose evaluation deadline has passed."""
    return exchange_requests_close_overdue()
