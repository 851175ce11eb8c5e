"""Rounding to base 5: differencing two queries (overlapping periods, one country against all) does not reveal a
count shown as "<5", and every way out (page, CSV, XLSX, API) publishes the same rounded figures."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from apps.reports.services import report_views_refresh
from apps.reports.suppression import (
    COMPLEMENTARY,
    SHOWN,
    SMALL,
    WITHHELD,
    Cell,
    protect_column,
    round_cell,
    round_count,
    share_cell,
)
from apps.skills.models import DiasporaProfile

JANUARY, FEBRUARY, MARCH = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def published(cell: Cell) -> str:
    return cell.display


def test_counts_of_five_or_more_are_rounded_to_the_nearest_five_and_up_to_eight_read_five():
    counts = (5, 6, 7, 8, 9, 12, 13, 17, 18, 24, 1002, 1003)
    assert [round_count(n, 5) for n in counts] == [5, 5, 5, 5, 10, 10, 15, 15, 20, 25, 1000, 1005]
    assert [round_count(n, 1) for n in (5, 6, 13)] == [5, 6, 13]  # base 1: no rounding
    assert round_count(5, 20) == 20  # a shown count never rounds down to 0


def test_rounding_comes_after_suppression_and_leaves_small_hidden_withheld_and_zero_cells_as_they_are():
    cells, total = protect_column([0, 3, 9, 13, 26], total=51)
    rounded = [round_cell(c, 5) for c in cells]
    assert [c.status for c in rounded] == [SHOWN, SMALL, COMPLEMENTARY, SHOWN, SHOWN]
    assert [c.display for c in rounded] == ["0", "<5", "hidden", "15", "25"]
    assert [c.value for c in rounded] == [0, None, None, 15, 25]
    assert round_cell(total, 5).display == "50"
    assert round_cell(Cell(None, WITHHELD), 5).display == "–"


def test_a_share_is_computed_from_the_rounded_counts():
    # 4 of 6 would be 67%, which only 4/6 (or 2/3) gives: from the rounded counts it is "<5" of 5: not given.
    assert not share_cell(round_cell(Cell(None, SMALL), 5), round_cell(Cell(6), 5)).shown
    # 9 of 12: 10 of 10 published, so 100%, not the 75% that would pin both counts down.
    assert share_cell(round_cell(Cell(9), 5), round_cell(Cell(12), 5)).value == 100


def publish(true_count: int, base: int) -> str:
    """What is published for a true count: its cell after suppression and rounding."""
    cells, _total = protect_column([true_count])
    return round_cell(cells[0], base).display


def consistent_small_differences(wide: str, narrow: str, base: int, largest: int = 80) -> set[int]:
    """Every small count (1..4) a reader can hold possible for (wider query) minus (narrower query), knowing only
    the two published figures: the narrower query's true count is anything that publishes as ``narrow``."""
    return {
        m for m in range(1, 5) for b in range(largest) if publish(b, base) == narrow and publish(b + m, base) == wide
    }


def test_the_difference_of_two_published_figures_never_determines_a_small_count():
    """For every true count of the narrower query and every small difference 1..4 (January–March minus
    January–February, or all countries minus all but one), the published pair is given by several differences."""
    narrowest = 4
    for b in range(60):
        for m in range(1, 5):
            possible = consistent_small_differences(publish(b + m, 5), publish(b, 5), 5)
            assert m in possible
            assert len(possible) >= 2, (b, m, possible)
            narrowest = min(narrowest, len(possible))
    # The worst case (documented): both read 5 (5–8 each), so the difference is 1, 2 or 3.
    assert narrowest == 3
    assert consistent_small_differences("5", "5", 5) == {1, 2, 3}
    # Why 8 reads 5: were it 10, "<5" (1–4) and then 10 (8–12) would pin both small counts at 4.
    assert consistent_small_differences("10", "<5", 5) == set()
    # Without rounding the difference gives the small count away: this is what the test guards against.
    assert consistent_small_differences(publish(24, 1), publish(21, 1), 1) == {3}


def test_the_documented_limit_three_queries_can_pin_a_small_count_down():
    """docs/reports.md: January 10, February 10, January–March 30 and March "<5" leave only March = 4.

    Rounding protects a difference of two figures, not every combination of many; this keeps the docs honest.
    """
    january, february, march = 12, 12, 4
    figures = (publish(january, 5), publish(february, 5), publish(january + february + march, 5), publish(march, 5))
    assert figures == ("10", "10", "30", "<5")
    possible = {
        m
        for a in range(40)
        for b in range(40)
        for m in range(1, 5)
        if (publish(a, 5), publish(b, 5), publish(a + b + m, 5), publish(m, 5)) == figures
    }
    assert possible == {4}


# The same through the reports themselves --------------------------------------------------------------------

_serial = count()


def add_members(n: int, month: date, origin: str) -> None:
    now = timezone.now()
    for _ in range(n):
        i = next(_serial)
        user = User.objects.create_user(email=f"rounding{i}@private.example", password=None)
        profile = DiasporaProfile.objects.create(
            user=user,
            origin_country_id=origin,
            residence_country_id="FR",
            generation="1",
            last_confirmed_at=now - timedelta(days=30),
        )
        created = datetime(month.year, month.month, 15, 12, tzinfo=UTC)
        DiasporaProfile.objects.filter(pk=profile.pk).update(created_at=created)


def everything_published(filters: Filters) -> list:
    """Every figure the profile and skills reports publish for ``filters``: headline, rows and totals."""
    figures = []
    for slug in ("profiles", "skills"):
        result = report_run(report=framework.get(slug), filters=filters)
        figures.append(result.headline.display if result.headline else None)
        for table in result.tables:
            figures.append([(row.label, [published(c) for c in row.cells]) for row in table.rows])
            figures.append([published(c) for c in table.totals] if table.totals is not None else None)
    return figures


QUERIES = {
    "January–February": Filters(month_from=JANUARY, month_to=FEBRUARY),
    "January–March": Filters(month_from=JANUARY, month_to=MARCH),
    "Senegal": Filters(country="SN"),
    "All countries": Filters(),
}


@pytest.mark.django_db
def test_overlapping_periods_and_one_country_against_all_publish_the_same_figures_for_every_small_count():
    """12 members registered in January–February from Senegal; March brings 1, 2, 3 or 4 members from Morocco.

    March alone (and Morocco alone) reads "<5". January–March minus January–February, and all countries minus
    Senegal, would give that count exactly; rounded, all four cases publish the very same figures everywhere.
    """
    add_members(6, JANUARY, "SN")
    add_members(6, FEBRUARY, "SN")
    rounded, exact = {}, {}
    for small in range(1, 5):
        add_members(1, MARCH, "MA")
        report_views_refresh(concurrently=False)
        rounded[small] = {name: everything_published(filters) for name, filters in QUERIES.items()}
        march = report_run(report=framework.get("profiles"), filters=Filters(month_from=MARCH, month_to=MARCH))
        morocco = report_run(report=framework.get("profiles"), filters=Filters(country="MA"))
        assert march.headline.display == morocco.headline.display == "<5"
        with override_settings(REPORTS_ROUNDING_BASE=1):
            exact[small] = {name: everything_published(filters) for name, filters in QUERIES.items()}
    assert rounded[1]["January–March"][0] == rounded[1]["All countries"][0] == "15"  # 13 members
    assert rounded[1]["January–February"][0] == rounded[1]["Senegal"][0] == "10"  # 12 members
    assert rounded[1] == rounded[2] == rounded[3] == rounded[4]
    # Unrounded, each small count shows through the difference of the headlines.
    for small in range(1, 5):
        assert int(exact[small]["January–March"][0]) - int(exact[small]["January–February"][0]) == small
        assert int(exact[small]["All countries"][0]) - int(exact[small]["Senegal"][0]) == small


# Every way out gives the same rounded figures ----------------------------------------------------------------


def test_the_page_says_figures_are_rounded_beside_the_refresh_time(analyst_client, analyst, known_members):
    page = analyst_client.get("/reports/profiles/").content.decode()
    freshness = page[page.index('data-testid="refreshed-at"') :]
    freshness = freshness[: freshness.index("</p>")]
    assert "Figures as of" in freshness and "rounded to the nearest 5" in freshness
    User.objects.filter(pk=analyst.pk).update(preferred_language="fr")
    page = analyst_client.get("/fr/reports/").content.decode()
    assert "arrondis au multiple de 5 le plus proche" in page
    with override_settings(REPORTS_ROUNDING_BASE=1):
        assert 'data-testid="rounding"' not in analyst_client.get("/reports/profiles/").content.decode()


def page_cells(page: str, table: str) -> list[str]:
    """The figures of one table on the page, in order (rows, then totals)."""
    section = page[page.index(f'data-table="{table}"') :]
    section = section[: section.index("</section>")]
    return [part.split("</span>")[0] for part in section.split('<span dir="ltr">')[1:]]


def test_csv_xlsx_and_api_give_the_same_rounded_figures_as_the_page(analyst_client, known_members):
    page = analyst_client.get("/reports/profiles/").content.decode()
    # Residence: France 12, United States 9 (hidden), Canada 3 (<5); total 24.
    assert page_cells(page, "residence") == ["10", "&lt;5", "hidden", "25"]
    assert page_cells(page, "generation") == ["15", "10", "25"]  # 14 and 10 of 24

    rows = list(csv.reader(io.StringIO(analyst_client.get("/reports/profiles/export.csv").content.decode("utf-8-sig"))))
    assert [
        "Counts of 5 or more are rounded to the nearest 5, so a total may differ slightly from the sum of its rows."
    ] in rows
    start = rows.index(["Members by country of residence"])
    assert rows[start + 2 : start + 6] == [
        ["France", "10"],
        ["Canada", "<5"],
        ["United States of America", "hidden"],
        ["Total", "25"],
    ]
    start = rows.index(["Members by generation"])
    assert rows[start + 2 : start + 5] == [["First generation", "15"], ["Second generation", "10"], ["Total", "25"]]

    workbook = load_workbook(io.BytesIO(analyst_client.get("/reports/profiles/export.xlsx").content))
    values = list(workbook["generation"].iter_rows(values_only=True))
    assert ("First generation", 15) in values and ("Total", 25) in values
    assert ("France", 10) in list(workbook["residence"].iter_rows(values_only=True))

    body = analyst_client.get("/api/v1/reports/profiles/").json()
    assert body["rounding_base"] == 5 and body["headline"]["value"] == 25
    generation = next(t for t in body["tables"] if t["key"] == "generation")
    assert [r["cells"][0]["value"] for r in generation["rows"]] == [15, 10]
    assert generation["totals"][0] == {"value": 25, "display": "25", "status": "shown"}


def test_rounding_base_one_publishes_the_exact_counts(analyst_client, known_members):
    with override_settings(REPORTS_ROUNDING_BASE=1):
        body = analyst_client.get("/api/v1/reports/profiles/").json()
        rows = list(
            csv.reader(io.StringIO(analyst_client.get("/reports/profiles/export.csv").content.decode("utf-8-sig")))
        )
    assert body["rounding_base"] == 1 and body["headline"]["value"] == 24
    assert not any("rounded" in " ".join(row) for row in rows)
