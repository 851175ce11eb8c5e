"""What every CSV and XLSX export of the portal does to a cell written from data people typed."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by spreadsheet software (and written as one by
# openpyxl): "=HYPERLINK(...)" in a name must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that starts like a formula gets a leading apostrophe; numbers, dates and empty cells are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
