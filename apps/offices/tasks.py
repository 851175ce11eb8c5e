"""Periodic jobs of the offices app. Thin: take ids or a date, call a service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from apps.core.locks import one_at_a_time

from .digest import follow_up_digests_send

LOCK_SECONDS = 60 * 30


def _target(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(name="offices.send_follow_up_digests")
@one_at_a_time(lambda day=None: f"offices:follow-up-digest:{_target(day).isoformat()}", timeout=LOCK_SECONDS, skipped=0)
def send_follow_up_digests(day: str | None = None) -> int:
    """E-mail each counsellor what is due. One run per day at a time; a repeat the same day sends nothing."""
    return follow_up_digests_send(day=_target(day))
