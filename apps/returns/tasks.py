"""Celery tasks: thin, idempotent, each calling one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="returns.remind_stale_sheets")
def remind_stale_sheets() -> int:
    return services.stale_sheet_reminders_send()


@shared_task(name="returns.send_funding_alerts", bind=True, max_retries=5, default_retry_delay=60)
def send_funding_alerts(self, opportunity_id: int) -> int:
    try:
        return services.funding_alerts_send(opportunity_id=opportunity_id)
    except OSError as exc:  # the mail server did not answer: try again later, alerts already sent are kept
        raise self.retry(exc=exc) from exc


@shared_task(name="returns.send_evaluation_requests")
def send_evaluation_requests() -> int:
    return services.event_evaluation_requests_send()
