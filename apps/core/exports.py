"""What every CSV and XLSX export of the portal does to a cell: the one place for the rules of a cell.

- ``spreadsheet_safe``: text people typed that starts like a formula stays text.
- ``list_cell``: several values in one cell, joined as the reader's language does ("A, B et C", "A وB وC"),
  each value isolated (FSI … PDI) so that a Latin skill in an Arabic list, or an Arabic name in a French one,
  keeps its place and does not pull the separators around it.
- ``text_cell``: interface text with user content in it ("Skills: …"), the user content isolated.

A cell that holds one value alone (a name, a number, a date) is left as it is: a spreadsheet must still sort and
filter it, and there is no interface text for it to reorder.
"""

from __future__ import annotations

from collections.abc import Iterable

from .formatting import format_list, isolate

# A cell starting with one of these is read as a formula by spreadsheet software (and written as one by
# openpyxl): "=HYPERLINK(...)" in a name must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that starts like a formula gets a leading apostrophe; numbers, dates and empty cells are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def list_cell(values: Iterable, *, language: str | None = None) -> str:
    """Values in one cell, in the language's list form; each isolated when there are two or more (one value alone
    is a plain cell)."""
    words = [str(value) for value in values if value is not None and str(value) != ""]
    if len(words) < 2:
        return words[0] if words else ""
    return format_list([isolate(word) for word in words], language=language)


def text_cell(template: str, user_content: dict, **interface_text) -> str:
    """``template`` (interface text, already translated, with ``%(name)s`` places) filled in: the values of
    ``user_content`` isolated, ``interface_text`` (words of the interface, numbers) as they are."""
    return template % {**interface_text, **{name: isolate(value) for name, value in user_content.items()}}
