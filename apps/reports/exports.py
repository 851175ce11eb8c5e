"""CSV and XLSX exports. Built from the same protected result as the page: a hidden count is never written."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.exports import spreadsheet_safe
from apps.core.formatting import format_datetime

from .labels import countries
from .selectors import ReportResult
from .suppression import SMALL_LABEL


def _about(result: ReportResult) -> list[list[str]]:
    f = result.filters
    refreshed = format_datetime(result.refreshed_at) if result.refreshed_at else _("not yet")
    lines = [
        [str(result.report.title)],
        [_("Figures as of"), refreshed],
        [
            str(result.report.date_label),
            f.month_from.strftime("%Y-%m") if f.month_from else "",
            f.month_to.strftime("%Y-%m") if f.month_to else "",
        ],
        [str(result.report.country_label), countries([f.country])[f.country] if f.country else _("All countries")],
        [
            _(
                'Counts from 1 to 4 read %(small)s; some other counts read "hidden" so that small counts cannot be '
                "worked out from the totals."
            )
            % {"small": SMALL_LABEL}
        ],
    ]
    if result.rounding_base > 1:
        note = _(
            "Counts of 5 or more are rounded to the nearest %(base)s, so a total may differ slightly from the sum of "
            "its rows."
        )
        lines.append([note % {"base": result.rounding_base}])
    if result.headline is not None:
        lines.append([str(result.report.headline_label), result.headline.display])
    return lines


def _value(cell):
    return cell.value if cell.shown else cell.display


def _table_lines(table, report) -> list[list]:
    """The table as lines of cells; labels come from vocabularies people edit, so every cell is made safe."""
    return [[spreadsheet_safe(cell) for cell in line] for line in _table_lines_raw(table, report)]


def _table_lines_raw(table, report) -> list[list]:
    lines = [[str(table.table.dimension_label), *[label for _key, label in table.measures]]]
    if table.withheld:
        lines.append([str(report.withheld_text)])
        return lines
    for row in table.rows:
        lines.append([row.label, *[_value(c) for c in row.cells]])
    if table.totals is not None:
        lines.append([_("Total"), *[_value(c) for c in table.totals]])
    return lines


def export_csv(result: ReportResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_about(result))
    for table in result.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerows(_table_lines(table, result.report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet software read UTF-8


def export_xlsx(result: ReportResult, *, rtl: bool = False) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = _("About")[:31]
    for line in _about(result):
        about.append(line)
    about["A1"].font = Font(bold=True, size=14)
    for table in result.tables:
        sheet = workbook.create_sheet(title=table.key[:31])
        sheet.sheet_view.rightToLeft = rtl
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        for line in _table_lines(table, result.report):
            sheet.append(line)
        sheet.column_dimensions["A"].width = 45
    about.sheet_view.rightToLeft = rtl
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
