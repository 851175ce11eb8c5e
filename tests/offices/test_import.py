"""Importing an office's contact log: dry run, a report for every row, never half a row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.core.models import AuditEvent
from apps.offices.importer import ImportFileError, contact_log_import, read_rows
from apps.offices.models import Contact, Person
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db

CSV = (
    "date,name_latin,name_arabic,birth_year,phone,channel,family_relationship,topics,summary,notes\n"
    "2026-03-02,Mamadou Sow,,1994,+221 77 1,walk_in,,pre_departure;legal_channels,Visa questions,secret\n"
    "2026-03-03,Awa Sy,,2001,,Reported by a family member,mother,rights_protection,Mother has no news,\n"
    "2026-03-04,Bad Topic,,1990,,hotline,,astrology,Unknown topic,\n"
    "not a date,Bad Date,,1990,,hotline,,other,Bad date,\n"
    "2026-03-05,Family Missing,,1990,,family_report,,other,No relationship,\n"
)


def test_a_dry_run_reports_every_row_and_saves_nothing(office, staff):
    report = contact_log_import(office=office, actor=staff, rows=read_rows("log.csv", CSV.encode()), dry_run=True)
    assert [(r.number, r.ok) for r in report.rows] == [(2, True), (3, True), (4, False), (5, False), (6, False)]
    assert "topics" in report.rows[2].errors[0] and "date" in report.rows[3].errors[0]
    assert "family_relationship" in report.rows[4].errors[0]
    assert not Person.objects.exists() and not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="offices.").exists()


def test_an_import_applies_good_rows_whole_and_rejected_rows_not_at_all(office, staff):
    existing = PersonFactory(office=office, phone="+221 77 1")
    report = contact_log_import(office=office, actor=staff, rows=read_rows("log.csv", CSV.encode()), dry_run=False)
    assert (report.accepted, report.rejected) == (2, 3)
    assert not report.rows[0].person_created  # matched by phone
    assert Contact.objects.filter(person=existing).count() == 1
    # the rows that failed after their person was created left no person behind
    assert set(Person.objects.values_list("name_latin", flat=True)) == {existing.name_latin, "Awa Sy"}
    family = Contact.objects.get(person__name_latin="Awa Sy")
    assert family.channel == "family_report" and family.family_relationship == "mother"
    assert AuditEvent.objects.get(action="offices.contact.import").extra == {"accepted": 2, "rejected": 3}


def test_an_xlsx_file_is_read_like_a_csv():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["date", "name_arabic", "channel", "topics", "summary"])
    sheet.append(["2026-03-02", "محمد", "hotline", "remittances", "تحويل"])
    data = io.BytesIO()
    workbook.save(data)
    assert read_rows("log.xlsx", data.getvalue()) == [
        {"date": "2026-03-02", "name_arabic": "محمد", "channel": "hotline", "topics": "remittances", "summary": "تحويل"}
    ]


def test_a_file_without_the_needed_columns_is_refused_with_their_names():
    with pytest.raises(ImportFileError, match="summary"):
        read_rows("log.csv", b"date,name_latin,channel,topics\n2026-01-01,A,hotline,other\n")


def test_the_import_page_shows_the_row_report(client, office, staff):
    client.force_login(staff)
    response = client.post(
        reverse("offices:contact-import"),
        {"office": office.pk, "dry_run": "on", "file": SimpleUploadedFile("log.csv", CSV.encode())},
    )
    assert response.status_code == 200
    assert b'data-testid="import-report"' in response.content
    assert response.context["report"].rejected == 3
    assert not Contact.objects.exists()


def test_importing_into_another_office_is_refused(client, other_office, staff):
    client.force_login(staff)
    response = client.post(
        reverse("offices:contact-import"),
        {"office": other_office.pk, "file": SimpleUploadedFile("log.csv", CSV.encode())},
    )
    assert response.status_code == 200 and "office" in response.context["form"].errors


def test_hostile_cells_are_refused_row_by_row_or_kept_as_text_never_a_crash(client, office, staff):
    """A NUL byte, a script tag, a spreadsheet formula and bidi controls in cells: each row is reported, the page
    answers, and what is kept is plain text shown escaped."""
    client.force_login(staff)
    hostile = (
        "date,name_latin,name_arabic,birth_year,phone,channel,family_relationship,topics,summary,notes\n"
        "2026-03-02,Nul\x00Byte,,1994,,walk_in,,other,nul in a name,\n"
        '2026-03-02,<script>alert(1)</script>,,1994,,walk_in,,other,"=HYPERLINK(""http://x"")",\n'
        "2026-03-02,Bidi \u202eevil,,1994,,walk_in,,other,bidi,\n"
    )
    response = client.post(
        reverse("offices:contact-import"),
        {"office": office.pk, "file": SimpleUploadedFile("log.csv", hostile.encode())},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert len(report.rows) == 3
    assert not report.rows[0].ok  # a NUL byte is refused with the row's number, not a database error
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    for contact in Contact.objects.select_related("person"):
        assert "\x00" not in contact.person.name_latin


def test_follow_up_columns_are_checked_row_by_row(office, staff, outsider):
    import datetime as dt

    from django.utils import timezone

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    csv_text = (
        "date,name_latin,channel,topics,summary,follow_up_due,follow_up_assignee\n"
        f"2026-03-02,Good Row,walk_in,other,ok,{tomorrow},{staff.email.upper()}\n"
        f"2026-03-02,Past Date,walk_in,other,ok,{yesterday},{staff.email}\n"
        f"2026-03-02,Outsider,walk_in,other,ok,{tomorrow},{outsider.email}\n"
        f"2026-03-02,Unknown,walk_in,other,ok,{tomorrow},nobody@example.org\n"
        f"2026-03-02,No Assignee,walk_in,other,ok,{tomorrow},\n"
        "2026-03-02,Bad Date,walk_in,other,ok,2026-02-30," + staff.email + "\n"
        "2026-03-02,No Follow-up,walk_in,other,ok,,\n"
    )
    rows = read_rows("log.csv", csv_text.encode())
    dry = contact_log_import(office=office, actor=staff, rows=rows, dry_run=True)
    assert [r.ok for r in dry.rows] == [True, False, False, False, False, False, True]
    assert not Contact.objects.exists()
    report = contact_log_import(office=office, actor=staff, rows=rows, dry_run=False)
    assert [(r.number, r.ok) for r in report.rows] == [(r.number, r.ok) for r in dry.rows]
    errors = [r.errors[0] if r.errors else "" for r in report.rows]
    assert errors[1].startswith("follow_up_due") and "past" in errors[1]
    assert errors[2].startswith("follow_up_assignee") and errors[3].startswith("follow_up_assignee")
    assert errors[4].startswith("follow_up_assignee") and errors[5].startswith("follow_up_due")
    good = Contact.objects.get(person__name_latin="Good Row")
    assert good.follow_up_assignee == staff and good.follow_up_due.isoformat() == tomorrow
    assert Contact.objects.get(person__name_latin="No Follow-up").follow_up_due is None
    assert set(Person.objects.values_list("name_latin", flat=True)) == {"Good Row", "No Follow-up"}
