"""Exports in the reader's language: user content isolated (FSI … PDI) where it shares a cell with interface
text, lists in the language's list form, plain cells left plain so a spreadsheet still sorts them."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.exports import list_cell, spreadsheet_safe, text_cell
from apps.core.formatting import FSI, PDI
from apps.core.roles import Role
from apps.skills.models import DiasporaProfile, ProfileSkill
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db

HEADERS = {"Skills": 11, "Languages": 12}


def iso(text: str) -> str:
    return f"{FSI}{text}{PDI}"


@pytest.fixture
def manager():
    return user_with_role(Role.OFFICE_MANAGER, organisation=OrganisationFactory(country_id="SN"))


@pytest.fixture
def karim():
    """A profile whose skills mix a vocabulary entry and a skill he typed in Latin letters."""
    taxonomy()
    profile = listed_profile(
        first_name="Karim", last_name="Benali", skills=["water-treatment"], languages=["ar", "fr"], job_title="Ing."
    )
    ProfileSkill.objects.create(profile=profile, proposed_text="Excel modelling.", kind=ProfileSkill.Kind.INFORMAL)
    return profile


def export(client, user, language: str, file_format: str) -> list[list]:
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    client.force_login(user)
    with translation.override(language):
        url = reverse("skills:staff-search-export", args=[file_format])
    response = client.get(url, {"q": "Karim"})
    assert response.status_code == 200
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_an_arabic_csv_isolates_each_skill_of_a_mixed_list_and_joins_them_the_arabic_way(client, manager, karim):
    rows = export(client, manager, "ar", "csv")
    assert rows[1][HEADERS["Skills"]] == f"{iso('معالجة المياه')} و{iso('Excel modelling.')}"


def test_a_french_xlsx_isolates_each_skill_and_joins_them_the_french_way(client, manager, karim):
    rows = export(client, manager, "fr", "xlsx")
    water = iso("Traitement de l'eau")
    assert rows[1][HEADERS["Skills"]] == f"{water} et {iso('Excel modelling.')}"


def test_a_language_and_its_level_read_as_one_phrase_of_the_readers_language(client, manager, karim):
    rows = export(client, manager, "fr", "xlsx")
    assert rows[0][HEADERS["Languages"]] == "Langues"
    # Each item isolated from the list's words, and inside it the language's name (reference data that may fall
    # back to another script) from the level's.
    arabic, french = iso(f"{iso('arabe')} (Courant)"), iso(f"{iso('français')} (Courant)")
    assert rows[1][HEADERS["Languages"]] == f"{arabic} et {french}"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_cells_holding_one_value_stay_plain_for_sorting_and_filtering(client, manager, karim, file_format):
    rows = export(client, manager, "ar", file_format)
    profile_row = rows[1]
    assert profile_row[1:3] == ["Karim", "Benali"] and profile_row[7] == "Ing."
    assert str(profile_row[0]) == str(karim.pk)
    assert not any(FSI in str(cell) or PDI in str(cell) for cell in rows[0] + profile_row[:11])


def test_a_list_of_one_value_is_the_value_alone():
    assert list_cell(["Excel"], language="ar") == "Excel"
    assert list_cell([], language="fr") == ""


def test_interface_text_around_user_content_isolates_only_the_user_content():
    cell = text_cell("%(name)s (%(level)s)", {"name": "العربية"}, level="courant")
    assert cell == f"{iso('العربية')} (courant)"


def test_a_list_item_that_looks_like_a_formula_cannot_start_the_cell():
    cell = spreadsheet_safe(list_cell(["=1+1", "Excel"], language="en"))
    assert cell == f"{iso('=1+1')} and {iso('Excel')}" and not cell.startswith("=")


@pytest.mark.parametrize(("language", "senegal"), [("fr", "Sénégal"), ("ar", "السنغال")])
def test_a_report_export_names_the_country_filtered_on_not_its_code(client, language, senegal):
    analyst = user_with_role(Role.ANALYST)
    User.objects.filter(pk=analyst.pk).update(preferred_language=language)
    client.force_login(analyst)
    response = client.get(f"/{language}/reports/profiles/export.xlsx?country=SN")
    about = [list(row) for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)]
    country_line = next(row for row in about if row[1] in ("SN", senegal))
    assert country_line[1] == senegal
    assert not any(FSI in str(cell) for row in about for cell in row)


def test_the_xlsx_keeps_the_reference_a_number_and_the_dates_dates_so_they_sort(client, manager, karim):
    DiasporaProfile.objects.filter(pk=karim.pk).update(verified_at=timezone.make_aware(dt.datetime(2026, 3, 9, 10)))
    User.objects.filter(pk=manager.pk).update(preferred_language="fr")
    client.force_login(manager)
    with translation.override("fr"):
        url = reverse("skills:staff-search-export", args=["xlsx"])
    response = client.get(url, {"q": "Karim"})
    row = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, max_row=2))[0]
    assert row[0].value == karim.pk and row[0].data_type == "n"
    assert row[13].is_date and row[13].value.date() == dt.date(2026, 3, 9)
    assert row[14].value is None  # never confirmed: an empty cell, not an empty text
