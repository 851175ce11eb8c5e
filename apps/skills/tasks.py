"""Skills bank background jobs. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task

from .services.profiles import profile_reminders_send


@shared_task(name="skills.send_confirmation_reminders")
def send_confirmation_reminders() -> int | None:
    """Daily: e-mail members whose profile is over 12 months old (at most once per 30 days, three times).

    Idempotent and locked in Redis: a second run the same day, or a run beside another, sends nothing more.
    Returns how many reminders were sent, or None when another run held the lock.
    """
    return profile_reminders_send()
