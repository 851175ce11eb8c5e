"""Celery tasks of the `outreach` queue. Thin: ids in, one service call; repeats are harmless (state guards)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from apps.core.locks import one_at_a_time

from .sending import TemporarySendError, deliveries_fail, deliveries_recover, deliveries_send_block
from .services import campaign_start, sms_stop_confirm_send

logger = logging.getLogger(__name__)


@shared_task(name="outreach.campaign_start", acks_late=True)
def campaign_start_task(campaign_id: int) -> int:
    return campaign_start(campaign_id=campaign_id)


@shared_task(name="outreach.deliveries_send", acks_late=True, bind=True)
def deliveries_send_task(self, delivery_ids: list[int], campaign_id: int | None) -> dict:
    """Send one block. Temporary failures retry with exponential backoff; then the rest is marked failed."""
    try:
        result = deliveries_send_block(delivery_ids=delivery_ids, campaign_id=campaign_id)
    except TemporarySendError as exc:
        if self.request.retries >= settings.OUTREACH_MAX_RETRIES:
            deliveries_fail(delivery_ids, f"gave up after {self.request.retries + 1} attempts: {exc}")
            return {"failed_after_retries": len(delivery_ids)}
        countdown = min(600, 5 * 2**self.request.retries)
        logger.warning("outreach: block of %s deferred %ss: %s", len(delivery_ids), countdown, exc)
        raise self.retry(exc=exc, countdown=countdown, max_retries=settings.OUTREACH_MAX_RETRIES) from exc
    return {"sent": len(result.sent), "failed": len(result.failed), "skipped": len(result.skipped)}


@shared_task(name="outreach.campaigns_start_due")
def campaigns_start_due_task() -> int:
    from django.utils import timezone

    from .models import Campaign

    due = list(
        Campaign.objects.filter(state=Campaign.State.SCHEDULED, scheduled_at__lte=timezone.now()).values_list(
            "id", flat=True
        )
    )
    for campaign_id in due:
        campaign_start_task.delay(campaign_id)
    return len(due)


@shared_task(name="outreach.deliveries_recover")
@one_at_a_time("outreach:recover-lock", timeout=max(5, int(settings.OUTREACH_RECOVER_SECONDS * 2)), skipped={})
def deliveries_recover_task() -> dict:
    """Give back the deliveries of dead workers (beat, every OUTREACH_RECOVER_SECONDS). One recovery at a time."""
    return deliveries_recover()


@shared_task(name="outreach.sms_stop_confirm", acks_late=True, autoretry_for=(Exception,), max_retries=5,
             retry_backoff=10)  # fmt: skip
def sms_stop_confirm_task(phone: str, language: str) -> str:
    return sms_stop_confirm_send(phone=phone, language=language)
