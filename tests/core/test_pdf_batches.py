"""Batches of PDFs printed by a worker as one ZIP, with progress, to the person who asked only."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.pdf_batches import (
    PDF_BATCH_KINDS,
    PdfBatchKind,
    PdfDocument,
    pdf_batch_kind_register,
    pdf_batch_render,
    pdf_batch_request,
)
from tests.factories import UserFactory

NAMES = ["Awa Ndiaye", "يوسف العمراني", "Mamadou Diallo"]


def _documents(user, params):
    for index, name in enumerate(NAMES[: params.get("count", 3)]):
        language = "ar" if index == 1 else "fr"
        yield PdfDocument(f"letter-{index + 1}.pdf", "pdf/test_letter.html", {"name": name}, language)


@pytest.fixture
def letters_kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf_batch_kind_register(
        "test-letters",
        PdfBatchKind(
            may_request=lambda user, params: user.email.endswith("@office.example.org"),
            documents=_documents,
            count=lambda user, params: params.get("count", 3),
            title=lambda params: "Letters",
        ),
    )
    yield "test-letters"
    PDF_BATCH_KINDS.pop("test-letters", None)


def _names_in(zip_bytes: bytes) -> list[str]:
    from pypdf import PdfReader

    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        names = sorted(archive.namelist())
        texts = [" ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(n))).pages) for n in names]
    return names, texts


@pytest.mark.django_db
def test_a_batch_prints_every_document_in_its_own_language_into_one_zip(
    letters_kind, django_capture_on_commit_callbacks
):
    user = UserFactory(email="counsellor@office.example.org")
    with django_capture_on_commit_callbacks(execute=False):
        batch = pdf_batch_request(user=user, kind=letters_kind, params={"count": 3})
    assert (batch.status, batch.total, batch.done) == ("queued", 3, 0)
    batch = pdf_batch_render(batch_id=batch.pk)
    assert (batch.status, batch.done) == ("done", 3)
    names, texts = _names_in(batch.file.read())
    assert names == ["letter-1.pdf", "letter-2.pdf", "letter-3.pdf"]
    assert "Lettre pour Awa Ndiaye" in texts[0]
    assert "رسالة إلى" in texts[1] and "يوسف العمراني" in texts[1]
    # A repeat (a task delivered twice) prints nothing again.
    assert pdf_batch_render(batch_id=batch.pk).finished_at == batch.finished_at


@pytest.mark.django_db
def test_only_the_roles_the_kind_allows_may_ask_and_only_the_asker_sees_the_batch(letters_kind, client):
    with pytest.raises(PermissionDenied):
        pdf_batch_request(user=UserFactory(email="someone@example.org"), kind=letters_kind, params={})
    owner = UserFactory(email="counsellor@office.example.org", preferred_language="fr")
    batch = pdf_batch_request(user=owner, kind=letters_kind, params={"count": 1})
    pdf_batch_render(batch_id=batch.pk)
    url = reverse("core:pdf-batch", kwargs={"pk": batch.pk})
    download = reverse("core:pdf-batch-download", kwargs={"pk": batch.pk})
    client.force_login(UserFactory(email="other@office.example.org"))
    assert client.get(url).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(owner)
    page = client.get("/fr" + url)
    assert page.status_code == 200
    assert "1 sur 1 document imprimé" in page.content.decode()
    response = client.get("/fr" + download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="pdf_batch.download", object_id=str(batch.pk)).exists()


@pytest.mark.django_db
def test_the_page_refreshes_itself_while_printing_and_stops_when_done(letters_kind, client):
    owner = UserFactory(email="counsellor@office.example.org")
    batch = pdf_batch_request(user=owner, kind=letters_kind, params={"count": 2})
    client.force_login(owner)
    url = reverse("core:pdf-batch", kwargs={"pk": batch.pk})
    assert 'http-equiv="refresh"' in client.get(url).content.decode()
    pdf_batch_render(batch_id=batch.pk)
    html = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in html and "Download the documents" in html
