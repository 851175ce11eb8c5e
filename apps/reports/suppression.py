"""The small-count rule, applied here and nowhere else.

Every figure that leaves the reports app — page, chart, API, CSV, XLSX — is a :class:`Cell` made by this module.

Method (documented in docs/reports.md):

1. **Primary suppression.** A count from 1 to 4 is never shown; it reads "<5". Zero is shown (rows with no one
   are simply absent, since figures come from ``GROUP BY``).
2. **Complementary suppression.** When a column publishes a total (the column partitions a population: each
   person is in exactly one row), a reader who knows the total and the shown cells knows the sum of the hidden
   ones. So whenever a column with a published total hides any cell, more cells are hidden — smallest first —
   until the hidden cells that are not small carry at least ``SLACK`` more than the 5-per-cell minimum a reader
   can assume. Then, for every "<5" cell, every value from 1 to 4 is consistent with everything shown: the total
   and the shown cells reveal nothing a "<5" does not already say. These cells read "hidden".
3. **Columns that cannot be protected are withheld.** If even hiding every cell of the column does not give that
   margin (tiny populations, e.g. a narrow filter), nothing of the column is published: no cell, zero or not,
   and no total. Where that leaves a row with nothing shown, the row (and so its label) is dropped too.

4. **Rounding** (:func:`round_cell`, applied by ``selectors`` *after* the steps above, to every cell, total and
   headline). Every published count of 5 or more is rounded to a multiple of ``REPORTS_ROUNDING_BASE`` (default
   5; 1 turns rounding off): 5–8 read 5 (see :func:`round_count`), 9–12 read 10, 13–17 read 15… Suppression
   protects one table against its own totals; rounding protects figures *across* queries: the period and
   country filters let a reader subtract one query's figure from another's (January–March minus
   January–February), and with rounded figures that difference is only known to within a range that still holds
   several of 1..4. A true zero stays 0: it is exact, but subtracting an exact 0 from a figure gives that figure
   back with its own protection, so it never narrows a small count (see docs/reports.md).

Several columns of one report may share a total (the members matching the filters, shown as a headline): each
column is protected against that same total, so knowing it from elsewhere on the page gives nothing away.

A count that is hidden is never sent: cells carry ``value=None`` and only the display marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are small
SLACK = THRESHOLD - 2  # 3: with this margin a hidden small cell can be any of 1..4 given the total

SHOWN = "shown"
SMALL = "small"  # primary: the count is from 1 to 4
COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be worked out from the total
WITHHELD = "withheld"  # the whole column is not published

SMALL_LABEL = "<5"
HIDDEN_LABEL = _("hidden")
WITHHELD_LABEL = "–"


@dataclass(frozen=True)
class Cell:
    value: float | None  # None whenever the figure is not shown (a count, or a statistic such as a median)
    status: str = SHOWN

    @property
    def shown(self) -> bool:
        return self.status == SHOWN

    @property
    def display(self) -> str:
        if self.status == SMALL:
            return SMALL_LABEL
        if self.status == COMPLEMENTARY:
            return str(HIDDEN_LABEL)
        if self.status == WITHHELD:
            return WITHHELD_LABEL
        return str(self.value)

    def as_json(self) -> dict:
        return {"value": self.value, "display": self.display, "status": self.status}


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def _hidden_margin(counts: Sequence[int], hidden: set[int], small: set[int]) -> int:
    """How much the hidden cells that are not small carry above the minimum (5 each) a reader can assume."""
    return sum(counts[i] - THRESHOLD for i in hidden - small)


def protect_column(counts: Sequence[int], *, total: int | None = None) -> tuple[list[Cell], Cell | None]:
    """Cells for one column of counts, and its total cell when ``total`` (the sum the column partitions) is given.

    A withheld column comes back with every cell and the total marked :data:`WITHHELD`.
    """
    small = {i for i, count in enumerate(counts) if is_small(count)}
    hidden = set(small)
    if total is not None and small:
        candidates = sorted(
            (i for i in range(len(counts)) if i not in hidden and counts[i] > 0), key=counts.__getitem__
        )
        while _hidden_margin(counts, hidden, small) < SLACK and candidates:
            hidden.add(candidates.pop(0))
        if _hidden_margin(counts, hidden, small) < SLACK:
            return [Cell(None, WITHHELD) for _count in counts], Cell(None, WITHHELD)
    cells = []
    for i, count in enumerate(counts):
        if i in small:
            cells.append(Cell(None, SMALL))
        elif i in hidden:
            cells.append(Cell(None, COMPLEMENTARY))
        else:
            cells.append(Cell(int(count)))
    return cells, (protect_total(total) if total is not None else None)


def protect_total(total: int) -> Cell:
    """A total on its own (a headline figure): small totals read "<5" like any count."""
    return Cell(None, SMALL) if is_small(total) else Cell(int(total))


def rounding_base() -> int:
    """The base published counts are rounded to (``REPORTS_ROUNDING_BASE``); 1 means no rounding."""
    return max(1, int(getattr(settings, "REPORTS_ROUNDING_BASE", THRESHOLD)))


def round_count(count: int, base: int) -> int:
    """``count`` (5 or more) to the nearest multiple of ``base`` (halves up), never below ``base``.

    One exception at the bottom: counts up to 8 (twice the largest small count) round as 5 does. With plain
    nearest rounding 8 would read 10 (8–12), and a reader seeing "<5" (1–4) for one query and 10 for a query with
    at most 4 more would know both were 4 and 8. With 5–8 reading 5, that pair of figures cannot occur.
    """
    if base == 1:
        return count
    if count <= 2 * (THRESHOLD - 1):
        count = THRESHOLD
    return max(base, (count + base // 2) // base * base)


def round_cell(cell: Cell, base: int | None = None) -> Cell:
    """A protected count cell as published: a shown count of 5 or more rounded; "<5", hidden, withheld and 0 as
    they are. Applied after suppression, so it never reveals what suppression hid."""
    if not cell.shown or not cell.value:
        return cell
    return Cell(round_count(int(cell.value), rounding_base() if base is None else base))


def share_cell(part: Cell, whole: Cell) -> Cell:
    """A percentage (whole number), only from counts that are both shown (otherwise it would reveal the hidden one).

    Give it the published (rounded) cells: a share of the true counts would let a reader work the counts back out
    (67% of evaluations published as 5, i.e. 5 to 8, can only be 4 of 6). Rounding is monotonic, so the share of
    rounded counts stays within 0–100.
    """
    if not (part.shown and whole.shown) or not whole.value:
        return Cell(None, WITHHELD)
    return Cell(round(100 * part.value / whole.value))


def share(part: str, whole: str):
    """A derived measure (``Measure(derive=share("recommending", "evaluations"))``): the share of two counts."""
    return lambda cells: share_cell(cells[part], cells[whole])


def protect_share(part: Cell, whole: Cell) -> str:
    """:func:`share_cell` as text ("75%"), or "" when it is not given."""
    cell = share_cell(part, whole)
    return f"{cell.value}%" if cell.shown else ""
