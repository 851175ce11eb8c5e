"""The API and the exports give the same protected figures as the page (rounded to 5: true counts in comments)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_reports(analyst_client):
    body = analyst_client.get("/api/v1/reports/").json()
    assert [r["slug"] for r in body] == ["profiles", "skills", "offices", "exchange", "outreach"]
    assert body[0]["url"].endswith("/api/v1/reports/profiles/")


def test_the_api_gives_protected_cells_with_no_value_when_hidden(analyst_client, known_members):
    body = analyst_client.get("/api/v1/reports/profiles/").json()
    residence = next(t for t in body["tables"] if t["key"] == "residence")
    cells = {row["key"]: row["cells"][0] for row in residence["rows"]}
    assert cells["FR"] == {"value": 10, "display": "10", "status": "shown"}  # 12
    assert cells["CA"] == {"value": None, "display": "<5", "status": "small"}
    assert cells["US"] == {"value": None, "display": "hidden", "status": "complementary"}
    assert residence["totals"] == [{"value": 25, "display": "25", "status": "shown"}]  # 24
    assert body["headline"]["value"] == 25
    assert body["refreshed_at"]
    assert body["country_filter"] == "Country of origin"


def test_the_api_applies_filters_and_refuses_malformed_ones_with_the_error_shape(analyst_client, known_members):
    body = analyst_client.get("/api/v1/reports/profiles/?from=2026-02&to=2026-02").json()
    assert body["filters"] == {"from": "2026-02", "to": "2026-02"}
    assert body["headline"]["value"] == 10  # 11
    response = analyst_client.get("/api/v1/reports/profiles/?from=2026-13&country=ZZ")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"from", "country"}
    response = analyst_client.get("/api/v1/reports/profiles/?from=2026-03&to=2026-01")
    assert response.status_code == 400 and "to" in response.json()["error"]["fields"]


def test_the_reports_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/reports/" in schema and "/api/v1/reports/{slug}/" in schema
    assert "complementary" in schema


def test_the_csv_export_holds_the_same_protected_cells_and_is_audited(analyst_client, analyst, known_members):
    response = analyst_client.get("/reports/profiles/export.csv?country=SN")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Members by country of residence"] in rows
    start = rows.index(["Members by country of residence"])
    # SN only: France 12, United States 8, total 20 -> no small count, everything shown (rounded).
    assert rows[start + 1 : start + 5] == [
        ["Country of residence", "Members"],
        ["France", "10"],
        ["United States of America", "5"],
        ["Total", "20"],
    ]
    event = AuditEvent.objects.get(action="report.export")
    assert event.actor_id == analyst.pk and event.extra == {"filters": {"country": "SN"}, "format": "csv"}


def test_the_xlsx_export_holds_the_same_protected_cells(analyst_client, analyst, known_members):
    User.objects.filter(pk=analyst.pk).update(preferred_language="ar")
    response = analyst_client.get("/ar/reports/profiles/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["residence"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("فرنسا", 10) in values  # 12
    assert any(row[1] == "<5" for row in values)
    assert sheet.sheet_view.rightToLeft is True


def test_the_report_page_shows_each_chart_beside_its_table_and_the_refresh_time(analyst_client, known_members):
    page = analyst_client.get("/reports/profiles/").content.decode()
    assert page.count("<svg") == page.count('class="report-table card') == 10
    assert "Figures as of" in page
    assert '<span dir="ltr">&lt;5</span>' in page


def test_an_invalid_filter_on_the_page_says_what_is_wrong_and_keeps_what_was_typed(analyst_client, known_members):
    response = analyst_client.get("/reports/profiles/?from=2026-03&to=2026-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The last month must not be before the first." in page
    assert 'value="2026-03"' in page


def test_the_arabic_chart_is_mirrored(analyst_client, analyst, known_members):
    User.objects.filter(pk=analyst.pk).update(preferred_language="ar")
    page = analyst_client.get("/ar/reports/profiles/").content.decode()
    assert 'dir="rtl"' in page and 'data-direction="rtl"' in page


def test_labels_that_look_like_formulas_stay_text_in_csv_and_xlsx():
    """A vocabulary label someone typed as "=HYPERLINK(…)" must not become a formula in a spreadsheet."""
    from types import SimpleNamespace

    from openpyxl import Workbook

    from apps.reports.exports import _table_lines

    cell = SimpleNamespace(shown=True, value=7, display="7")
    table = SimpleNamespace(
        table=SimpleNamespace(dimension_label="Sector"),
        measures=[("members", "Members")],
        withheld=False,
        rows=[SimpleNamespace(label='=HYPERLINK("http://evil.example","x")', cells=[cell])],
        totals=None,
    )
    lines = _table_lines(table, SimpleNamespace(withheld_text="Too few members"))
    assert lines[1] == ['\'=HYPERLINK("http://evil.example","x")', 7]
    sheet = Workbook().active
    sheet.append(lines[1])
    assert sheet["A1"].data_type == "s" and sheet["B1"].value == 7
