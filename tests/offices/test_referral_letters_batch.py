"""Referral letters for a list, printed in the background as one ZIP (apps.core.pdf_batches)."""

import io
import time
import zipfile

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent, PdfBatch
from apps.core.pdf_batches import pdf_batch_render
from tests.factories.offices import PersonFactory, ReferralFactory


def _letters(office, staff, count=3):
    referrals = []
    for index in range(count):
        person = PersonFactory(office=office, counsellor=staff, name_latin=f"Client {index}")
        person.preferred_language = ["fr", "ar", "en"][index % 3]
        person.save()
        referrals.append(ReferralFactory(person=person, created_by=staff))
    return referrals


@pytest.mark.django_db
def test_a_counsellor_prints_the_letters_of_the_list_each_in_its_persons_language(
    client, office, staff, other_office, outsider
):
    referrals = _letters(office, staff)
    elsewhere = ReferralFactory(person=PersonFactory(office=other_office), created_by=outsider)
    client.force_login(staff)
    assert "Print the letters of this list" in client.get(reverse("offices:referral-list")).content.decode()
    response = client.post(reverse("offices:referral-letters-batch"), {"direction": "sent"})
    batch = PdfBatch.objects.get(requested_by=staff)
    assert response.status_code == 302 and response["Location"].endswith(f"/documents/{batch.pk}/")
    assert batch.total == 3
    batch = pdf_batch_render(batch_id=batch.pk)
    with zipfile.ZipFile(io.BytesIO(batch.file.read())) as archive:
        names = sorted(archive.namelist())
    assert names == sorted(f"referral-{r.pk}-{r.person.preferred_language}.pdf" for r in referrals)
    assert f"referral-{elsewhere.pk}-" not in " ".join(names)
    # Each person's record read for a letter is audited, as the single letter is.
    reads = AuditEvent.objects.filter(action="offices.person.read", actor_id=staff.pk)
    assert {e.extra["via_referral"] for e in reads} == {r.pk for r in referrals}


@pytest.mark.django_db
def test_someone_outside_offices_and_partner_organisations_cannot_ask(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(reverse("offices:referral-letters-batch"), {"direction": "sent"}).status_code == 403
    assert not PdfBatch.objects.exists()


@pytest.mark.worker
def test_a_real_worker_prints_the_letters_and_the_page_follows(
    office, staff, client, celery_worker_process, transactional_db, settings, tmp_path
):
    _letters(office, staff, count=2)
    client.force_login(staff)
    client.post(reverse("offices:referral-letters-batch"), {"direction": ""})
    batch = PdfBatch.objects.get(requested_by=staff)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in ("done", "failed"):
            break
        time.sleep(0.3)
    assert (batch.status, batch.done, batch.total) == ("done", 2, 2), batch.error
    page = client.get(reverse("core:pdf-batch", kwargs={"pk": batch.pk})).content.decode()
    assert "Download the documents" in page
    download = client.get(reverse("core:pdf-batch-download", kwargs={"pk": batch.pk}))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None
