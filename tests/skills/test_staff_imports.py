"""Import of existing skills lists: reading files, dry run with errors and duplicates, applying rows, invitations."""

import io

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core import mail
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from apps.accounts.models import User
from apps.core.roles import Role
from apps.skills.models import DiasporaProfile, ImportBatch, ImportRow, ProfileSkill
from apps.skills.services import import_batch_apply_start, import_batch_check_start, import_batch_upload
from apps.skills.services.imports import (
    Lookups,
    import_batch_apply_run,
    import_batch_check_run,
    import_invitations_send_run,
    import_rows_apply,
)
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db

HEADER = "email;prénom;nom;date de naissance;téléphone;pays de résidence;compétences;secteurs;isco;langue\n"


@pytest.fixture
def staff():
    taxonomy()
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN", name="Dakar office"))


def upload(staff, text: str, name="liste.csv", language="fr") -> ImportBatch:
    return import_batch_upload(actor=staff, name=name, content=text.encode("utf-8"), default_language=language)


def check(batch, staff) -> ImportBatch:
    """The dry run, run here in the test process (the task calls the same service)."""
    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    import_batch_check_run(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def apply(batch, staff) -> ImportBatch:
    import_batch_apply_start(batch=batch, actor=staff)
    import_batch_apply_run(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def statuses(batch) -> dict[int, str]:
    return dict(batch.rows.values_list("number", "status"))


def test_headers_in_french_are_recognised_and_rows_are_read(staff):
    batch = upload(staff, HEADER + "awa@example.org;Awa;Diop;1990-02-01;+221771234567;France;Chirurgie;Santé;2211;fr\n")
    assert batch.total_rows == 1
    assert {"email", "first_name", "last_name", "date_of_birth", "phone", "residence_country", "skills"} <= set(
        batch.mapping
    )


def test_invalid_utf8_is_a_clear_error_not_a_crash(client, staff):
    client.force_login(staff)
    content = HEADER.encode() + "awa@example.org;Awa;Diop\n".encode("latin-1") + b"x;Ren\xe9;Diop\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("skills:staff-imports"),
        {"file": SimpleUploadedFile("liste.csv", content, "text/csv"), "default_language": "fr"},
    )
    assert response.status_code == 200
    assert "not valid UTF-8 text (line 3)" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_xlsx_files_are_read_too(staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email", "First name", "Last name", "Date of birth"])
    sheet.append(["kofi@example.org", "Kofi", "Mensah", None])
    out = io.BytesIO()
    workbook.save(out)
    batch = import_batch_upload(actor=staff, name="list.xlsx", content=out.getvalue(), default_language="en")
    assert batch.total_rows == 1 and batch.mapping["email"] == 0


def test_dry_run_reports_errors_per_row_and_keeps_good_rows_ready(staff):
    batch = upload(
        staff,
        HEADER
        + "awa@example.org;Awa;Diop;1990-02-01;+221771234567;France;Chirurgie;Santé;2211;fr\n"
        + "not-an-email;Moussa;;2090-01-01;12;Atlantis;;Astrologie;99x;xx\n"
        + "fatou@example.org;Fatou;Sarr;;;;Traitement de l'eau| Pêche artisanale;;;\n",
    )
    batch = check(batch, staff)
    assert batch.status == ImportBatch.Status.CHECKED
    assert statuses(batch) == {2: "valid", 3: "invalid", 4: "valid"}
    errors = batch.rows.get(number=3).error_messages()
    assert set(errors) == {
        "email",
        "last_name",
        "date_of_birth",
        "phone",
        "residence_country",
        "sectors",
        "occupations",
        "preferred_language",
    }
    assert "The date of birth cannot be in the future." in errors["date_of_birth"]


def test_dry_run_finds_likely_duplicates_by_email_phone_close_name_and_within_the_file(staff):
    existing = listed_profile(
        first_name="Mohamed", last_name="Benali", date_of_birth="1980-05-04", phone="+221771112233"
    )
    UserFactory(email="taken@example.org")
    batch = upload(
        staff,
        HEADER
        + "taken@example.org;Ali;Ba;;;;;;;\n"
        + "new1@example.org;Ali;Ba;;+221 77 111 22 33;;;;;\n"
        + "new2@example.org;Mohammed;Benali;04/05/1980;;;;;;\n"
        + "new3@example.org;Mohammed;Benali;1981-05-04;;;;;;\n"
        + "new3@example.org;Other;Person;;;;;;;\n",
    )
    batch = check(batch, staff)
    assert statuses(batch) == {2: "duplicate", 3: "duplicate", 4: "duplicate", 5: "valid", 6: "duplicate"}
    assert batch.rows.get(number=3).duplicate_of_id == existing.pk
    assert batch.rows.get(number=4).duplicate_of_id == existing.pk
    assert "row 5" in batch.rows.get(number=6).duplicate_reason_text


def test_the_duplicate_reason_is_read_in_the_readers_language_whatever_language_checked_it():
    from django.utils import translation

    from apps.skills.models import ImportRow

    phone, row = ImportRow(duplicate_reason="phone"), ImportRow(duplicate_reason="row:5")
    with translation.override("fr"):
        assert phone.duplicate_reason_text == "Même téléphone qu'un profil existant"
        assert row.duplicate_reason_text == "Même courriel ou téléphone que la ligne 5"
    with translation.override("ar"):
        assert "Same" not in phone.duplicate_reason_text and "5" in row.duplicate_reason_text


def test_a_report_checked_in_arabic_is_read_in_french_and_english_by_colleagues(client, staff):
    with translation.override("ar"):  # the check runs in the language of whoever started it
        batch = check(upload(staff, HEADER + "not-an-email;Moussa;;2090-01-01;12;Atlantis;;;;xx\n"), staff)
    staff.preferred_language = "fr"  # a French-reading colleague of the same office
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    with translation.override("fr"):
        response = client.get(reverse("skills:staff-import", args=[batch.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pays inconnu" in page and "Atlantis" in page
    assert "Pays de résidence\u00a0: Pays inconnu" in page  # the label takes the French colon
    assert "غير معروف" not in page  # nothing of the Arabic the check ran in
    with translation.override("en"):
        messages = batch.rows.get(number=2).error_messages()
    assert messages["residence_country"] == ["Unknown country: Atlantis"]
    assert messages["date_of_birth"] == ["The date of birth cannot be in the future."]


def test_a_row_checked_before_errors_were_kept_in_each_language_shows_its_one_text():
    row = ImportRow(errors={"email": ["Adresse invalide"], "phone": [{"en": "Bad", "fr": "Mauvais", "ar": "سيئ"}]})
    with translation.override("fr"):
        assert row.error_messages() == {"email": ["Adresse invalide"], "phone": ["Mauvais"]}


def test_applying_creates_unlisted_members_with_their_skills_and_invites_them(
    staff, django_capture_on_commit_callbacks
):
    batch = upload(
        staff,
        HEADER
        + "awa@example.org;Awa;Diop;1990-02-01;+221771234567;France;Chirurgie; Drone mapping;Santé;2211;ar\n".replace(
            "Chirurgie; Drone", "Chirurgie| Drone"
        )
        + "kofi@example.org;Kofi;Mensah;;;;;;;\n",
    )
    batch = check(batch, staff)
    batch = apply(batch, staff)
    assert batch.status == ImportBatch.Status.APPLIED
    profile = DiasporaProfile.objects.get(user__email="awa@example.org")
    assert profile.source == "import" and profile.consent_listed is False
    assert profile.phone == "+221771234567" and profile.residence_country_id == "FR"
    assert set(profile.skills.values_list("skill_id", "proposed_text")) == {("surgery", ""), (None, "Drone mapping")}
    assert list(profile.occupations.values_list("code", flat=True)) == ["2211"]
    assert profile.user.preferred_language == "ar" and not profile.user.has_usable_password()
    assert User.objects.get(email="kofi@example.org").preferred_language == "fr"  # the office's language
    assert DiasporaProfile.objects.filter(
        user__email="awa@example.org", search_vector=SearchQuery("chirurgie", config="french")
    ).exists()

    sent = import_invitations_send_run(batch_id=batch.pk)
    assert sent == 2 and len(mail.outbox) == 2
    arabic = next(m for m in mail.outbox if m.to == ["awa@example.org"])
    french = next(m for m in mail.outbox if m.to == ["kofi@example.org"])
    assert "/ar/accounts/password/reset/key/" in arabic.body
    assert "/accounts/password/reset/key/" in french.body and "Dakar office" in french.body
    assert import_invitations_send_run(batch_id=batch.pk) == 0  # each member is invited once


def test_imported_members_are_not_found_by_staff_search_until_they_consent(staff):
    from apps.skills.selectors.search import profile_search

    batch = check(upload(staff, HEADER + "awa@example.org;Awa;Diop;;;;;;;\n"), staff)
    apply(batch, staff)
    assert not profile_search(user=staff, params={"q": "Awa Diop"}).queryset.exists()


def test_each_row_is_applied_entirely_or_not_at_all(staff):
    batch = check(
        upload(
            staff,
            HEADER
            + "one@example.org;One;Person;;;;Chirurgie;;;\n"
            + "two@example.org;Two;Person;;;;Chirurgie;;;\n"
            + "three@example.org;Three;Person;;;;Chirurgie;;;\n",
        ),
        staff,
    )
    # Someone registers with the second address between the dry run and the import.
    UserFactory(email="two@example.org")
    import_batch_apply_start(batch=batch, actor=staff)
    rows = list(batch.rows.order_by("number"))
    imported, failed = import_rows_apply(batch=batch, rows=rows, lookups=Lookups.load())
    assert (imported, failed) == (2, 1)
    assert [r.status for r in rows] == ["imported", "failed", "imported"]
    assert "already exists" in rows[1].error_messages()["email"][0]
    assert not DiasporaProfile.objects.filter(first_name="Two").exists()
    assert ProfileSkill.objects.filter(profile__first_name__in=["One", "Three"]).count() == 2


def test_mapping_without_the_required_columns_is_refused_at_the_field(client, staff):
    batch = upload(staff, "col a;col b\nx;y\n")
    client.force_login(staff)
    response = client.post(reverse("skills:staff-import-check", args=[batch.pk]), {"first_name": "0"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


def test_imports_are_for_office_staff_of_the_same_office(client, staff):
    batch = upload(staff, HEADER + "awa@example.org;Awa;Diop;;;;;;;\n")
    other_office = user_with_role(Role.OFFICE_STAFF)
    client.force_login(other_office)
    assert client.get(reverse("skills:staff-import", args=[batch.pk])).status_code == 404
    client.force_login(user_with_role(Role.ANALYST))
    assert client.get(reverse("skills:staff-imports")).status_code == 403
    assert client.get(reverse("skills:staff-import", args=[batch.pk])).status_code == 403


def test_the_progress_fragment_polls_while_running_and_offers_a_refresh_link(client, staff):
    batch = upload(staff, HEADER + "awa@example.org;Awa;Diop;;;;;;;\n")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING)
    client.force_login(staff)
    body = client.get(reverse("skills:staff-import-progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and 'data-testid="refresh"' in body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_dry_run_and_the_import(celery_worker_process):
    import time

    taxonomy()
    staff = user_with_role(Role.OFFICE_MANAGER, organisation=OrganisationFactory(country_id="SN"))
    batch = upload(staff, HEADER + "awa@example.org;Awa;Diop;;;;Chirurgie;;;\nbad;;;;;;;;;\n")

    def wait_for(status):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            batch.refresh_from_db()
            if batch.status in (status, ImportBatch.Status.FAILED):
                return batch.status
            time.sleep(0.3)
        return batch.status

    import_batch_check_start(batch=batch, mapping=batch.mapping, actor=staff)
    assert wait_for(ImportBatch.Status.CHECKED) == ImportBatch.Status.CHECKED
    assert statuses(batch) == {2: ImportRow.Status.VALID, 3: ImportRow.Status.INVALID}
    import_batch_apply_start(batch=batch, actor=staff)
    assert wait_for(ImportBatch.Status.APPLIED) == ImportBatch.Status.APPLIED
    assert DiasporaProfile.objects.filter(user__email="awa@example.org", consent_listed=False).exists()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not batch.rows.filter(invited_at__isnull=False).exists():
        time.sleep(0.3)
    assert batch.rows.get(number=2).invited_at is not None


def test_hostile_cells_are_refused_row_by_row_and_what_is_kept_stays_text(staff):
    """Bidi controls in a name, a script tag and a formula: every row gets a status, never a crash. A NUL byte
    makes the whole file "not a text file", with that clear message."""
    from apps.skills.services.imports import ImportFileError

    with pytest.raises(ImportFileError, match="not a text file"):
        upload(staff, HEADER + "nul@example.org;Nul\x00Byte;Diop;1990-02-01;;France;;;;fr\n")
    text = HEADER + (
        "bidi@example.org;Awa\u202e;Diop;1990-02-01;;France;;;;fr\n"
        'script@example.org;<script>alert(1)</script>;"=HYPERLINK(""http://x"")";1990-02-01;;France;;;;fr\n'
    )
    batch = apply(check(upload(staff, text), staff), staff)
    rows = statuses(batch)
    assert len(rows) == 2
    assert rows[2] != ImportRow.Status.IMPORTED  # invisible direction characters are refused in names
    for profile in DiasporaProfile.objects.filter(user__email="script@example.org"):
        assert profile.first_name == "<script>alert(1)</script>"  # kept as text; every page escapes it


def test_the_import_and_the_profile_form_apply_the_same_birth_date_and_phone_rules(staff):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from apps.core.validators import phone_normalise, validate_birth_date

    too_old = timezone.localdate().replace(year=timezone.localdate().year - 121).isoformat()
    batch = check(
        upload(
            staff,
            HEADER
            + f"old@example.org;Awa;Diop;{too_old};+221771234567;France;;;;fr\n"
            + "phone@example.org;Awa;Diop;1990-02-01;+221 12;France;;;;fr\n",
        ),
        staff,
    )
    errors = {row.number: row.error_messages() for row in batch.rows.all()}
    with pytest.raises(ValidationError) as birth:
        validate_birth_date(timezone.localdate().replace(year=timezone.localdate().year - 121))
    with pytest.raises(ValidationError) as phone:
        phone_normalise("+221 12")
    assert errors[2]["date_of_birth"] == birth.value.messages
    assert errors[3]["phone"] == phone.value.messages
