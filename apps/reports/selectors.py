"""Reading reports: run a definition's queries, label, order and protect the figures (the one path out)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from . import framework
from .framework import ORDER_BY_COUNT, Filters, Measure, Report, Table
from .models import ViewRefresh
from .permissions import can_view_report, office_scope
from .suppression import (
    COMPLEMENTARY,
    SHOWN,
    SMALL,
    THRESHOLD,
    WITHHELD,
    Cell,
    protect_column,
    protect_total,
    round_cell,
    rounding_base,
)

OTHER = "__other__"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class TableResult:
    table: Table
    measures: list[tuple[str, str]]  # (key, label)
    rows: list[Row]
    totals: list[Cell] | None  # one per measure, for partition tables

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def title(self) -> str:
        return str(self.table.title)

    @property
    def withheld(self) -> bool:
        return not self.rows and self.totals is not None and all(c.status == "withheld" for c in self.totals)


@dataclass(frozen=True)
class ReportResult:
    report: Report
    filters: Filters
    headline: Cell | None
    refreshed_at: datetime | None
    tables: list[TableResult]
    rounding_base: int = 1  # published counts are rounded to this (1: exact)

    def table(self, key: str) -> TableResult:
        return next(t for t in self.tables if t.key == key)


def reports_for(user) -> list[Report]:
    return [report for report in framework.reports() if can_view_report(user, report)]


def refreshed_at(view_names: list[str]) -> datetime | None:
    """The oldest refresh time of the views a report reads (the figures are at least this fresh)."""
    if not view_names:
        return None
    times = list(ViewRefresh.objects.filter(view_name__in=view_names).values_list("refreshed_at", flat=True))
    if len(times) < len(set(view_names)):
        return None
    return min(times)


def _merge_free_text(raw: dict[str, list[int]]) -> dict[str, list[int]]:
    """Rows of typed text under 5 go into one "other" row, so nobody's own wording becomes a label."""
    merged: dict[str, list[int]] = {}
    other: list[int] | None = None
    for key, counts in raw.items():
        if key and max(counts) < THRESHOLD:
            other = counts if other is None else [a + b for a, b in zip(other, counts, strict=True)]
        else:
            merged[key] = counts
    if other is not None:
        merged[OTHER] = other
    return merged


def _keep(cells: list[Cell]) -> bool:
    return any(c.status in (SMALL, COMPLEMENTARY) or (c.status == SHOWN and c.value) for c in cells)


def _statistic_cell(value, gate: Cell) -> Cell:
    if value is None or not gate.shown or (gate.value or 0) < THRESHOLD:
        return Cell(None, WITHHELD)
    return Cell(round(float(value), 1))


def _query(measure: Measure):
    if measure.query is None:
        raise ValueError(f"the measure {measure.key} has no query")
    return measure.query


def table_run(table: Table, filters: Filters, *, base: int | None = None) -> TableResult:
    """One table, protected: suppression first, then every count and total rounded to ``base``; statistics are
    gated on the published counts and derived figures computed from them (so from rounded figures)."""
    base = rounding_base() if base is None else base
    counted = [m for m in table.measures if m.is_count]
    raw: dict[str, list[int]] = {}
    for index, measure in enumerate(counted):
        for value, count in _query(measure)(filters):
            raw.setdefault(value, [0] * len(counted))[index] += count
    if table.free_text:
        raw = _merge_free_text(raw)
    keys = list(raw)
    labels = table.labels([k for k in keys if k != OTHER])
    labels[OTHER] = _("Other (fewer than 5 each)")
    columns: dict[str, list[Cell]] = {}
    totals: dict[str, Cell | None] = {}
    for index, measure in enumerate(counted):
        counts = [raw[key][index] for key in keys]
        cells, total = protect_column(counts, total=sum(counts) if table.partition else None)
        columns[measure.key] = [round_cell(c, base) for c in cells]
        totals[measure.key] = round_cell(total, base) if total is not None else None
    statistics = {m.key: dict(_query(m)(filters)) for m in table.measures if m.gate}
    built = []
    for i, key in enumerate(keys):
        row_cells: dict[str, Cell] = {m.key: columns[m.key][i] for m in counted}
        for measure in table.measures:
            if measure.gate:
                row_cells[measure.key] = _statistic_cell(statistics[measure.key].get(key), row_cells[measure.gate])
            elif measure.derive is not None:
                row_cells[measure.key] = measure.derive(row_cells)
        built.append(Row(key, labels.get(key, key), [row_cells[m.key] for m in table.measures]))
    rows = [row for row in built if _keep(row.cells)]
    if table.order == ORDER_BY_COUNT:
        rows.sort(key=lambda r: (not r.cells[0].shown, -(r.cells[0].value or 0), r.key == OTHER, r.label))
    else:
        rows.sort(key=lambda r: (r.key == "" or r.key == OTHER, r.key))
    return TableResult(
        table=table,
        measures=[(m.key, str(m.label)) for m in table.measures],
        rows=rows,
        totals=[totals.get(m.key) or Cell(None, WITHHELD) for m in table.measures] if table.partition else None,
    )


def report_run(*, report: Report, filters: Filters, user=None) -> ReportResult:
    """Every figure of ``report`` for ``filters``, protected. Callers check access with ``can_view_report``.

    With ``user``, the figures are restricted to what the user may see (an office manager: their own offices).
    """
    if user is not None:
        filters = replace(filters, offices=office_scope(user, report))
    base = rounding_base()
    headline = round_cell(protect_total(report.headline(filters)), base) if report.headline else None
    return ReportResult(
        report=report,
        filters=filters,
        headline=headline,
        # A live report reads the tables as they are: its figures are as of now.
        refreshed_at=timezone.now() if report.live else refreshed_at(report.views),
        tables=[table_run(table, filters, base=base) for table in report.tables],
        rounding_base=base,
    )
