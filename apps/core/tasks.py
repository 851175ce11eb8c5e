from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(name="core.heartbeat", ignore_result=False)
def heartbeat() -> str:
    """Record that a worker ran a task (scheduled by beat; also used by the integration test)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
