"""Reading an uploaded skills list (UTF-8 CSV or XLSX) into headers and rows."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


class ImportFileError(ValidationError):
    """The uploaded file cannot be read; the message says why, in the user's language."""


def read_table(*, name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) of a CSV (UTF-8) or XLSX file; raises ``ImportFileError`` when it cannot be read."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 20 MB. Split it into smaller files."), code="too_large")
    lowered = name.lower()
    if content[:4] == b"PK\x03\x04" or lowered.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif lowered.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Upload a CSV file (UTF-8) or an Excel workbook (.xlsx)."), code="type")
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."), code="empty")
    headers = [cell.strip()[:200] for cell in rows[0]]
    if not any(headers):
        raise ImportFileError(_("The first line must name the columns."), code="headers")
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
            code="too_many_rows",
        )
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in body]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not valid UTF-8 text (line %(line)s). Save it as “CSV UTF-8” from your spreadsheet "
                "and upload it again."
            )
            % {"line": line},
            code="encoding",
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file."), code="binary")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}, code="csv") from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors for a broken file
        raise ImportFileError(_("The workbook cannot be read. Save it as .xlsx and try again."), code="xlsx") from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
