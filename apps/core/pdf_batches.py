"""Many PDFs printed by a worker as one ZIP, with progress: certificates for a programme, letters for a list.

An app registers a kind of batch (``pdf_batch_kind_register``) when it starts: who may ask for it, and the
documents it is made of (file name, template, context, language: each document may be in its own language,
as a certificate is in its holder's). The person asks (``pdf_batch_request``); a Celery worker prints
(``pdf_batch_render``), counting each document, and stores the ZIP in the configured storage (shared by every host);
the page shows how far it is and offers the download, to that person only, audited.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .audit import audit_record
from .models import PdfBatch
from .pdf import PdfError, render_pdf


@dataclass(frozen=True)
class PdfDocument:
    filename: str
    template: str
    context: dict
    language: str


@dataclass(frozen=True)
class PdfBatchKind:
    """What a kind of batch is. Every function gets the asking user, so that the documents stay in their scope."""

    may_request: Callable[..., bool]  # (user, params) -> bool
    documents: Callable[..., Iterable[PdfDocument]]  # (user, params) -> the documents, in order
    count: Callable[..., int]  # (user, params) -> how many documents
    title: Callable[..., str]  # (params) -> what the batch is called on its page


PDF_BATCH_KINDS: dict[str, PdfBatchKind] = {}


def pdf_batch_kind_register(name: str, kind: PdfBatchKind) -> None:
    PDF_BATCH_KINDS[name] = kind


@transaction.atomic
def pdf_batch_request(*, user, kind: str, params: dict, request=None) -> PdfBatch:
    """Queue a batch for ``user``; 403 when their role or scope does not cover it, 404 for an unknown kind."""
    spec = PDF_BATCH_KINDS.get(kind)
    if spec is None:
        raise Http404
    if not spec.may_request(user, params):
        raise PermissionDenied
    batch = PdfBatch.objects.create(
        requested_by=user, kind=kind, params=params, title=str(spec.title(params))[:200], total=spec.count(user, params)
    )
    audit_record(
        actor=user, action="pdf_batch.request", obj=batch, extra={"kind": kind, "params": params}, request=request
    )
    from .tasks import render_pdf_batch

    transaction.on_commit(lambda: render_pdf_batch.delay(batch.pk))
    return batch


def pdf_batch_render(*, batch_id: int) -> PdfBatch:
    """Print every document of the batch into one ZIP. A repeat of a finished batch does nothing."""
    claimed = PdfBatch.objects.filter(pk=batch_id, status__in=[PdfBatch.Status.QUEUED, PdfBatch.Status.RUNNING])
    if not claimed.update(status=PdfBatch.Status.RUNNING, done=0):
        return PdfBatch.objects.get(pk=batch_id)
    batch = PdfBatch.objects.get(pk=batch_id)
    spec = PDF_BATCH_KINDS[batch.kind]
    buffer = io.BytesIO()
    printed = 0
    try:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for document in spec.documents(batch.requested_by, batch.params):
                pdf = render_pdf(document.template, document.context, language=document.language)
                archive.writestr(document.filename, pdf)
                printed += 1
                PdfBatch.objects.filter(pk=batch.pk).update(done=printed)
    except PdfError as exc:
        PdfBatch.objects.filter(pk=batch.pk).update(status=PdfBatch.Status.FAILED, error=str(exc)[:2000])
        return PdfBatch.objects.get(pk=batch.pk)
    batch.file.save(f"batch-{batch.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    PdfBatch.objects.filter(pk=batch.pk).update(
        file=batch.file.name, status=PdfBatch.Status.DONE, done=printed, total=printed, finished_at=timezone.now()
    )
    return PdfBatch.objects.get(pk=batch.pk)


def pdf_batch_get(*, user, pk: int) -> PdfBatch:
    """The batch, to the person who asked for it only (404 for anyone else)."""
    batch = PdfBatch.objects.filter(pk=pk, requested_by=user).first()
    if batch is None:
        raise Http404
    return batch


def pdf_batch_download_record(*, batch: PdfBatch, actor, request=None) -> None:
    audit_record(actor=actor, action="pdf_batch.download", obj=batch, extra={"kind": batch.kind}, request=request)
