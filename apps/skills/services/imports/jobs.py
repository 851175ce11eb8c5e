"""The import's steps for staff (upload, dry run, apply) and the runs the Celery worker does, with progress."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ...models import ImportBatch, ImportRow
from ...permissions import can_import, can_view_import, import_organisation_ids
from .cleaning import Lookups, clean_row
from .columns import check_mapping, guess_mapping, row_values
from .duplicates import duplicates_in_database
from .reading import read_table
from .writing import import_rows_apply, rows_update

CHUNK = 500
UPLOAD_CHUNK = 5_000


@transaction.atomic
def import_batch_upload(
    *, actor, name: str, content: bytes, default_language: str, base_url: str = "", request=None
) -> ImportBatch:
    """Read an uploaded file into a new batch of rows (nothing is imported yet)."""
    if not can_import(actor):
        raise PermissionDenied
    organisations = sorted(import_organisation_ids(actor))
    if not organisations:
        raise PermissionDenied
    headers, rows = read_table(name=name, content=content)
    if default_language not in dict(settings.LANGUAGES):
        raise ValidationError({"default_language": _("This language is not available.")})
    batch = ImportBatch(
        uploaded_by=actor,
        organisation_id=organisations[0],
        file_name=name[:255],
        headers=headers,
        mapping=guess_mapping(headers),
        default_language=default_language,
        total_rows=len(rows),
        base_url=base_url or (request.build_absolute_uri("/") if request is not None else ""),
    )
    batch.full_clean(exclude=["uploaded_by", "organisation", "base_url"])
    batch.save()
    for start in range(0, len(rows), UPLOAD_CHUNK):
        ImportRow.objects.bulk_create(
            ImportRow(batch=batch, number=start + offset + 2, raw=row)  # line 1 is the header
            for offset, row in enumerate(rows[start : start + UPLOAD_CHUNK])
        )
    audit_record(actor=actor, action="import.upload", obj=batch, summary=f"{name}: {len(rows)} rows", request=request)
    return batch


def _lock_batch(batch: ImportBatch, actor) -> ImportBatch:
    if not can_view_import(actor, batch):
        raise PermissionDenied
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


PROGRESS_FIELDS = ("rows_to_process", "processed_rows", "accepted_rows", "rejected_rows")


def _progress_reset(batch: ImportBatch, *, rows_to_process: int) -> None:
    """A step starts: its denominator is the rows it goes through (every row to check, the ready ones to import)."""
    batch.rows_to_process = rows_to_process
    batch.processed_rows = batch.accepted_rows = batch.rejected_rows = 0


def _progress_add(batch: ImportBatch, *, accepted: int, rejected: int) -> None:
    """Count a chunk the worker went through, in the same transaction as the chunk's rows, so that the progress
    page (polling the batch) sees the counters move as the rows are written."""
    batch.accepted_rows += accepted
    batch.rejected_rows += rejected
    batch.processed_rows = batch.accepted_rows + batch.rejected_rows
    ImportBatch.objects.filter(pk=batch.pk).update(
        processed_rows=batch.processed_rows, accepted_rows=batch.accepted_rows, rejected_rows=batch.rejected_rows
    )


@transaction.atomic
def import_batch_check_start(*, batch: ImportBatch, mapping: dict, actor, request=None) -> ImportBatch:
    """Save the column mapping and queue the dry run."""
    from ...import_tasks import import_batch_check

    locked = _lock_batch(batch, actor)
    if locked.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED):
        raise ValidationError(_("This import is running or already done."))
    locked.mapping = check_mapping(locked, mapping)
    locked.status = ImportBatch.Status.CHECKING
    _progress_reset(locked, rows_to_process=locked.total_rows)
    locked.error_message = ""
    locked.save(update_fields=["mapping", "status", *PROGRESS_FIELDS, "error_message"])
    audit_record(actor=actor, action="import.check", obj=locked, summary=locked.file_name, request=request)
    import_batch_check.delay_on_commit(locked.pk)
    return locked


@transaction.atomic
def import_batch_apply_start(*, batch: ImportBatch, actor, request=None) -> ImportBatch:
    """Queue the import of the rows the dry run found ready."""
    from ...import_tasks import import_batch_apply

    locked = _lock_batch(batch, actor)
    if locked.status != ImportBatch.Status.CHECKED:
        raise ValidationError(_("Run the dry run before importing."))
    locked.status = ImportBatch.Status.APPLYING
    _progress_reset(locked, rows_to_process=locked.rows.filter(status=ImportRow.Status.VALID).count())
    locked.save(update_fields=["status", *PROGRESS_FIELDS])
    audit_record(actor=actor, action="import.apply", obj=locked, summary=locked.file_name, request=request)
    import_batch_apply.delay_on_commit(locked.pk)
    return locked


def import_batch_check_run(*, batch_id: int) -> None:
    """The dry run: validate every row, find likely duplicates, record the result per row. Idempotent."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.CHECKING:
        return
    lookups = Lookups.load()
    seen: tuple[dict[str, int], dict[str, int]] = ({}, {})  # e-mails and phones of the rows above → their number
    _progress_reset(batch, rows_to_process=batch.total_rows)
    last_number = 0
    while True:
        chunk = list(batch.rows.filter(number__gt=last_number).order_by("number")[:CHUNK])
        if not chunk:
            break
        last_number = chunk[-1].number
        _check_chunk(batch, chunk, lookups, seen)
        accepted = sum(1 for row in chunk if row.status == ImportRow.Status.VALID)
        with transaction.atomic():
            rows_update(chunk)
            _progress_add(batch, accepted=accepted, rejected=len(chunk) - accepted)
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.CHECKING).update(
        status=ImportBatch.Status.CHECKED, finished_at=timezone.now()
    )


def _check_chunk(batch: ImportBatch, chunk: list[ImportRow], lookups: Lookups, seen) -> None:
    """Each row's status and errors: cleaned, then compared with the rows above it and with the skills bank."""
    seen_emails, seen_phones = seen
    cleaned = []
    for row in chunk:
        data, errors = clean_row(row_values(row.raw, batch.mapping), lookups, batch.default_language)
        row.errors, row.duplicate_of_id, row.duplicate_reason = errors, None, ""
        row.status = ImportRow.Status.INVALID if errors else ImportRow.Status.VALID
        if not errors:
            cleaned.append((row, data))
    for row, data in cleaned:
        earlier = seen_emails.get(data["email"]) or (seen_phones.get(data["phone"]) if data.get("phone") else None)
        if earlier:
            row.status = ImportRow.Status.DUPLICATE
            row.duplicate_reason = f"row:{earlier}"
        seen_emails.setdefault(data["email"], row.number)
        if data.get("phone"):
            seen_phones.setdefault(data["phone"], row.number)
    in_database = duplicates_in_database([(row, data) for row, data in cleaned])
    for row, _data in cleaned:
        if row.pk in in_database and row.status == ImportRow.Status.VALID:
            row.status = ImportRow.Status.DUPLICATE
            row.duplicate_of_id, row.duplicate_reason = in_database[row.pk]


def import_batch_apply_run(*, batch_id: int) -> None:
    """Import the ready rows of a checked batch, a chunk per transaction. Idempotent: imported rows stay so."""
    from ...import_tasks import import_invitations_send

    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.APPLYING:
        return
    lookups = Lookups.load()
    # A run picked up again after a stop counts what the first one did: only this step imports or fails rows.
    done = dict(
        batch.rows.filter(status__in=[ImportRow.Status.IMPORTED, ImportRow.Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch.accepted_rows, batch.rejected_rows = 0, 0
    _progress_add(batch, accepted=done.get(ImportRow.Status.IMPORTED, 0), rejected=done.get(ImportRow.Status.FAILED, 0))
    last_number = 0
    while True:
        with transaction.atomic():
            rows = list(
                batch.rows.select_for_update()
                .filter(status=ImportRow.Status.VALID, number__gt=last_number)
                .order_by("number")[:CHUNK]
            )
            if not rows:
                break
            last_number = rows[-1].number
            imported, failed = import_rows_apply(batch=batch, rows=rows, lookups=lookups)
            _progress_add(batch, accepted=imported, rejected=failed)
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
            status=ImportBatch.Status.APPLIED, finished_at=timezone.now()
        )
        audit_record(
            actor=batch.uploaded_by,
            action="import.applied",
            obj=batch,
            summary=f"{batch.accepted_rows} imported, {batch.rejected_rows} not imported",
            extra={"imported": batch.accepted_rows, "failed": batch.rejected_rows},
        )
        import_invitations_send.delay_on_commit(batch.pk)


def import_batch_fail(*, batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.FAILED, error_message=message[:2000], finished_at=timezone.now()
    )
