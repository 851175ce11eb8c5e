import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role
from apps.returns.models import Vacancy
from apps.returns.services import vacancies_import_csv
from tests.factories import user_with_role
from tests.factories.returns import sector

pytestmark = pytest.mark.django_db

HEADER = "title,employer,source,country,region,sector,occupation,closing_date,link,description\n"


def future(days=20):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_import_saves_valid_rows_and_reports_each_rejected_row_with_its_reasons(staff):
    sector("agriculture")
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    text = HEADER + (
        f"Agronomist,SODAGRI,ANPEJ,sn,Thiès,agriculture,,{future()},,\n"
        f"Driver,Transports Diallo,,XX,,,,{future()},,\n"
        f"Nurse,Hôpital Principal,,SN,Dakar,,,{past},,\n"
        f"Cook,Hôtel Teranga,,SN,,,,23/12/2026,,\n"
    )
    report = vacancies_import_csv(actor=staff, text=text)
    assert report.created == 1
    assert [line for line, _reasons in report.rejected] == [3, 4, 5]
    assert "country" in report.rejected[0][1][0]
    assert "The closing date has already passed." in report.rejected[1][1][0]
    assert "YYYY-MM-DD" in report.rejected[2][1][0]
    assert list(Vacancy.objects.values_list("title", "country_id", "sector_id")) == [
        ("Agronomist", "SN", "agriculture")
    ]


def test_a_file_without_the_required_columns_is_refused_whole(staff):
    with pytest.raises(ValidationError) as caught:
        vacancies_import_csv(actor=staff, text="title,employer\nCook,Hotel\n")
    assert "country" in caught.value.message_dict["file"][0]
    assert Vacancy.objects.count() == 0


def test_only_office_staff_import_vacancies():
    with pytest.raises(PermissionDenied):
        vacancies_import_csv(actor=user_with_role(Role.CONTENT_EDITOR), text=HEADER)


def test_the_import_page_shows_the_report(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("jobs.csv", (HEADER + f"Cook,Hôtel Teranga,,SN,,,,{future()},,\n").encode())
    response = client.post(reverse("returns:vacancy-import"), {"file": upload})
    assert response.status_code == 200
    assert 'data-testid="import-report"' in response.content.decode()
    assert Vacancy.objects.get().employer == "Hôtel Teranga"


def test_hostile_cells_are_reported_row_by_row_never_a_crash(client, staff):
    client.force_login(staff)
    text = HEADER + (
        f"Nul\x00Title,SODAGRI,,SN,,,,{future()},,\n"
        f'<script>alert(1)</script>,"=HYPERLINK(""http://x"")",,SN,,,,{future()},,\n'
    )
    response = client.post(reverse("returns:vacancy-import"), {"file": SimpleUploadedFile("jobs.csv", text.encode())})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Vacancy.objects.filter(title__startswith="Nul").exists()  # reported, not saved
    assert "control characters" in response.content.decode()
