"""Skills import progress: the worker counts the rows processed, accepted and rejected a chunk at a time, against the
rows the step goes through (every row for the dry run, the ready ones for the import), and the progress fragment
shows them in a live region, polled while the worker runs."""

import time

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.roles import Role
from apps.skills.models import ImportBatch
from apps.skills.services import import_batch_apply_start, import_batch_check_start, import_batch_upload
from apps.skills.services.imports import CHUNK, import_batch_apply_run, import_batch_check_run
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import taxonomy

pytestmark = pytest.mark.django_db

HEADER = "email;prénom;nom;pays de résidence\n"


def rows(good: int, bad: int) -> str:
    """``good`` valid rows, then ``bad`` rows with an unknown country."""
    lines = [f"m{i}@example.org;Awa{i};Diop;France" for i in range(good)]
    lines += [f"x{i}@example.org;Bad{i};Row;Atlantis" for i in range(bad)]
    return HEADER + "\n".join(lines) + "\n"


@pytest.fixture
def staff():
    taxonomy()
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN", name="Dakar office"))


def upload(staff, text):
    return import_batch_upload(actor=staff, name="liste.csv", content=text.encode("utf-8"), default_language="fr")


def test_the_dry_run_counts_every_row_processed_accepted_and_rejected(staff):
    batch = upload(staff, rows(CHUNK + 10, 5))
    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    import_batch_check_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.rows_to_process, batch.processed_rows) == (CHUNK + 15, CHUNK + 15)
    assert (batch.accepted_rows, batch.rejected_rows) == (CHUNK + 10, 5)
    assert batch.progress_percent == 100


def test_the_import_counts_against_the_ready_rows_not_every_row_of_the_file(staff):
    batch = upload(staff, rows(3, 7))
    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    import_batch_check_run(batch_id=batch.pk)
    batch = import_batch_apply_start(batch=batch, actor=staff)
    assert (batch.rows_to_process, batch.processed_rows, batch.progress_percent) == (3, 0, 0)
    import_batch_apply_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.rows_to_process, batch.processed_rows) == (3, 3)
    assert (batch.accepted_rows, batch.rejected_rows) == (3, 0)


def test_the_fragment_shows_the_counters_in_a_live_region_and_polls_while_running(client, staff):
    batch = upload(staff, rows(2, 1))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKING, rows_to_process=3, processed_rows=2, accepted_rows=1, rejected_rows=1
    )
    client.force_login(staff)
    url = reverse("skills:staff-import-progress", args=[batch.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in body and 'hx-trigger="every 2s"' in body
    assert '<span data-testid="progress-processed">2 of 3 rows</span>' in body
    assert '<span data-testid="progress-accepted">1</span>' in body
    assert '<span data-testid="progress-rejected">1</span>' in body


def test_once_the_step_has_ended_the_fragment_tells_htmx_to_stop_polling(client, staff):
    batch = upload(staff, rows(2, 0))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKED, rows_to_process=2, processed_rows=2, accepted_rows=2
    )
    client.force_login(staff)
    url = reverse("skills:staff-import-progress", args=[batch.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # htmx stops polling, after swapping in the final counters
    assert "every 2s" not in response.content.decode() and 'data-testid="see-report"' in response.content.decode()
    assert client.get(url).status_code == 200  # opened directly, without htmx: a plain page


@pytest.mark.parametrize(
    ("language", "words"), [("fr", ["Lignes traitées", "Prête", "Erreurs ou doublons probables"]),
                            ("ar", ["الصفوف المعالجة", "جاهز", "أخطاء أو تكرارات محتملة"])],
)  # fmt: skip
def test_the_counters_are_labelled_in_the_readers_language(client, staff, language, words):
    batch = upload(staff, rows(2, 1))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING, rows_to_process=3)
    staff.preferred_language = language
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    with translation.override(language):
        url = reverse("skills:staff-import-progress", args=[batch.pk])
    body = client.get(url).content.decode()
    for word in words:
        assert word in body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_moves_the_counters_while_the_dry_run_runs(celery_worker_process):
    """Seen from outside the worker (as the progress page sees it): the counters take values between 0 and the
    total while the batch is still being checked, then end at the total."""
    taxonomy()
    staff = user_with_role(Role.OFFICE_MANAGER, organisation=OrganisationFactory(country_id="SN"))
    batch = upload(staff, rows(CHUNK * 6, CHUNK // 2))
    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.CHECKING:
            break
        seen.add((batch.processed_rows, batch.accepted_rows, batch.rejected_rows))
        time.sleep(0.05)
    assert batch.status == ImportBatch.Status.CHECKED
    moving = {s for s in seen if 0 < s[0] < batch.rows_to_process}
    assert len(moving) >= 2, seen  # at least two distinct counts in between, while it ran
    assert all(processed == accepted + rejected for processed, accepted, rejected in seen)
    assert (batch.processed_rows, batch.accepted_rows, batch.rejected_rows) == (
        CHUNK * 6 + CHUNK // 2,
        CHUNK * 6,
        CHUNK // 2,
    )
