"""Celery tasks of skills-list imports: thin, they take a batch id and call one service."""

from __future__ import annotations

from celery import shared_task

from .services.imports import (
    import_batch_apply_run,
    import_batch_check_run,
    import_batch_fail,
    import_invitations_send_run,
)


def _run(service, batch_id: int) -> None:
    try:
        service(batch_id=batch_id)
    except Exception as exc:
        import_batch_fail(batch_id=batch_id, message=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="skills.import_batch_check")
def import_batch_check(batch_id: int) -> None:
    _run(import_batch_check_run, batch_id)


@shared_task(name="skills.import_batch_apply")
def import_batch_apply(batch_id: int) -> None:
    _run(import_batch_apply_run, batch_id)


@shared_task(name="skills.import_invitations_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def import_invitations_send(batch_id: int) -> int:
    return import_invitations_send_run(batch_id=batch_id)
