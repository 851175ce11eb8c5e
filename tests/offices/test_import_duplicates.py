"""The contacts import reports likely duplicates by name (apps.core.names): against the office's records and
within the file, in either script or spelling, naming both rows; the row is imported, never silently merged."""

import pytest

from apps.offices.importer import contact_log_import, read_rows
from apps.offices.models import Person
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "date,name_latin,name_arabic,birth_year,phone,channel,topics,summary\n"


def _import(office, staff, lines, dry_run=False):
    return contact_log_import(
        office=office, actor=staff, rows=read_rows("log.csv", (HEADER + lines).encode()), dry_run=dry_run
    )


def test_a_row_in_latin_letters_is_reported_as_likely_the_client_recorded_in_arabic_script(office, staff):
    PersonFactory(office=office, name_latin="", name_arabic="محمد العمراني", birth_year=1990)
    report = _import(office, staff, "2026-03-02,Mohamed El Amrani,,1990,,walk_in,other,Visa\n")
    [row] = report.rows
    assert row.ok and row.person_created  # imported as a new client all the same: staff decide
    assert row.duplicates == [
        "Likely the same person as the client \u2068محمد العمراني\u2069 already recorded: "
        "Arabic name \u2068محمد\u2069 matches \u2068Mohamed\u2069"
    ]
    assert Person.objects.filter(office=office).count() == 2


def test_two_rows_of_the_file_in_two_spellings_name_each_other(office, staff):
    report = _import(
        office,
        staff,
        "2026-03-02,Youssouf Ben Ali,,1985,,walk_in,other,First visit\n"
        "2026-03-03,Ibrahima Sow,,1990,,walk_in,other,Other person\n"
        "2026-03-04,,يوسف بن علي,1985,,hotline,other,Second visit\n",
        dry_run=True,
    )
    first, other, second = report.rows
    assert first.duplicates == [] and other.duplicates == []
    assert second.duplicates == [
        "Likely the same person as row 2: Latin name \u2068Youssouf\u2069 matches \u2068يوسف\u2069"
    ]
    assert not Person.objects.exists()  # a dry run reports the same and saves nothing


def test_a_namesake_born_another_year_or_a_shared_given_name_only_is_not_reported(office, staff):
    PersonFactory(office=office, name_latin="Mohamed Diallo", name_arabic="", birth_year=1970)
    PersonFactory(office=office, name_latin="Mohamed", name_arabic="", birth_year=1990)
    PersonFactory(office=office, name_latin="Mahmoud Diallo", name_arabic="", birth_year=1990)
    report = _import(office, staff, "2026-03-02,Mohamed Diallo,,1990,,walk_in,other,Visa\n")
    assert report.rows[0].duplicates == []


def test_a_client_of_another_office_is_not_reported(office, other_office, staff):
    PersonFactory(office=other_office, name_latin="Mohamed El Amrani", name_arabic="", birth_year=1990)
    report = _import(office, staff, "2026-03-02,,محمد العمراني,1990,,walk_in,other,Visa\n")
    assert report.rows[0].duplicates == []


def test_the_same_name_in_the_same_script_says_so(office, staff):
    PersonFactory(office=office, name_latin="Awa Sy", name_arabic="", birth_year=None)
    report = _import(office, staff, "2026-03-02,Awa Sy,,2001,,walk_in,other,Visa\n")
    assert report.rows[0].duplicates == [
        "Likely the same person as the client \u2068Awa Sy\u2069 already recorded: the same name"
    ]


@pytest.mark.parametrize(
    "name", ["\u064e\u064f\u0650", "Mo\u200bhamed \u202eمحمد\u202c", "M", "x" * 200, "Mohamed محمد", "!!"]
)
def test_bad_names_in_a_file_give_a_report_without_error(office, staff, name):
    PersonFactory(office=office, name_latin="Mohamed", name_arabic="محمد", birth_year=1990)
    report = _import(office, staff, f"2026-03-02,{name},,1990,,walk_in,other,Visa\n", dry_run=True)
    assert len(report.rows) == 1
