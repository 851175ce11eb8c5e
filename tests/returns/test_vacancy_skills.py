"""Vacancies name the skills and languages they require: staff form, CSV import, API and the list page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import Language
from apps.returns.models import Vacancy
from apps.returns.services import vacancies_import_csv
from tests.factories.skills import skill

pytestmark = pytest.mark.django_db

HEADER = "title,employer,country,closing_date,skills,languages\n"


def future():
    return (timezone.localdate() + datetime.timedelta(days=20)).isoformat()


@pytest.fixture
def taxonomy():
    Language.objects.get_or_create(code="wo", defaults={"name": "Wolof"})
    return skill("test-irrigation", "Irrigation design", "water"), skill("test-surveying", "Land surveying", "water")


def test_import_reads_skill_and_language_codes_and_reports_each_unknown_code(staff, taxonomy):
    text = HEADER + (
        f"Engineer,SODAGRI,SN,{future()},test-irrigation; test-surveying,FR;wo\n"
        f"Driver,Diallo,SN,{future()},test-driving;test-irrigation,xx\n"
        f"Cook,Teranga,SN,{future()},,\n"
    )
    report = vacancies_import_csv(actor=staff, text=text)
    assert report.created == 2
    assert report.rejected == [
        (3, ["skills: Unknown code “test-driving”.", "languages: Unknown code “xx”."]),
    ]
    engineer = Vacancy.objects.get(title="Engineer")
    assert sorted(engineer.skills.values_list("pk", flat=True)) == ["test-irrigation", "test-surveying"]
    assert sorted(engineer.languages.values_list("pk", flat=True)) == ["fr", "wo"]
    assert not Vacancy.objects.get(title="Cook").skills.exists()


def test_staff_form_saves_skills_and_languages_and_the_list_shows_them(client, staff, taxonomy):
    irrigation, _surveying = taxonomy
    client.force_login(staff)
    data = {
        "title": "Irrigation engineer",
        "employer": "SODAGRI",
        "country": "SN",
        "closing_date": future(),
        "skills": [irrigation.pk],
        "languages": ["fr", "wo"],
    }
    assert client.post(reverse("returns:vacancy-create"), data).status_code == 302
    vacancy = Vacancy.objects.get()
    assert list(vacancy.skills.all()) == [irrigation] and vacancy.languages.count() == 2
    page = client.get(reverse("returns:vacancy-list")).content.decode()
    assert "Irrigation design" in page and "Wolof" in page
    # An unknown skill is an error at the field, and what was typed stays.
    response = client.post(reverse("returns:vacancy-edit", args=[vacancy.pk]), data | {"skills": ["nope"]})
    assert response.status_code == 200 and "Irrigation engineer" in response.content.decode()
    assert response.context["form"].errors["skills"]


def test_api_writes_and_reads_skills_and_languages(staff, taxonomy):
    api = APIClient()
    api.force_authenticate(staff)
    data = {
        "title": "Engineer",
        "employer": "SODAGRI",
        "country": "SN",
        "closing_date": future(),
        "skills": ["test-irrigation"],
        "languages": ["fr"],
    }
    response = api.post("/api/v1/vacancies/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["skills"] == ["test-irrigation"] and response.json()["languages"] == ["fr"]
    response = api.patch(f"/api/v1/vacancies/{response.json()['id']}/", {"skills": ["nope"]}, format="json")
    assert response.status_code == 400 and "skills" in response.json()["error"]["fields"]
