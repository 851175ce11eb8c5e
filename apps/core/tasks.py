from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .locks import one_at_a_time

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(name="core.heartbeat", ignore_result=False)
def heartbeat() -> str:
    """Record that a worker ran a task (scheduled by beat; also used by the integration test)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(name="core.render_pdf_batch", ignore_result=True)
def render_pdf_batch(batch_id: int) -> None:
    """Print a batch of PDFs (queued by ``pdf_batch_request``). A repeat after it finished does nothing."""
    from .pdf_batches import pdf_batch_render

    pdf_batch_render(batch_id=batch_id)


@shared_task(name="core.purge_idempotency_records", ignore_result=True)
@one_at_a_time("core:purge-idempotency-records", timeout=60 * 30, skipped=0)
def purge_idempotency_records() -> int:
    """Forget idempotency keys older than IDEMPOTENCY_KEEP_DAYS (daily; one run at a time)."""
    from .idempotency import records_purge

    return records_purge()
