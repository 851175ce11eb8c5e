"""Periodic jobs of the offices app. Thin: take ids or a date, call a service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .digest import follow_up_digests_send

LOCK_SECONDS = 60 * 30


@shared_task(name="offices.send_follow_up_digests")
def send_follow_up_digests(day: str | None = None) -> int:
    """E-mail each counsellor what is due. Guarded by a Redis lock; a repeat the same day sends nothing."""
    target = dt.date.fromisoformat(day) if day else timezone.localdate()
    lock = f"offices:follow-up-digest:{target.isoformat()}"
    if not cache.add(lock, "running", LOCK_SECONDS):
        return 0
    try:
        return follow_up_digests_send(day=target)
    finally:
        cache.delete(lock)
