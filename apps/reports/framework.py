"""Report definitions: what a report is, and the registry of reports.

A :class:`Report` is a titled list of :class:`Table`. A table has one dimension (its rows) and one or more
:class:`Measure` (its columns). A measure is a function ``(filters) -> [(dimension value, count), ...]`` that
runs one SQL ``GROUP BY`` — only codes and counts ever come out of the database, never a person's row.
Suppression, labels, ordering, charts and exports are applied by the framework (``selectors.report_run``), the
same way for every report; a report definition only says what to count.

Adding a report: see docs/reports.md ("Adding a report").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .suppression import Cell

from apps.core.db import read_connection

ORDER_BY_COUNT = "count"  # largest first (hidden rows last, so their place does not bound them)
ORDER_BY_KEY = "key"  # the dimension's own order (months, ISCO groups, education levels)


@dataclass(frozen=True)
class Filters:
    """Every report takes a period (whole months, on the report's own date) and a country."""

    month_from: date | None = None  # first day of the first month included
    month_to: date | None = None  # first day of the last month included
    country: str = ""  # ISO code, or "" for every country
    # The offices the reader may see (office managers); None for every office. Set from the user, never from
    # the query string, so it is not part of ``as_query``.
    offices: tuple[int, ...] | None = None

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.month_from:
            query["from"] = self.month_from.strftime("%Y-%m")
        if self.month_to:
            query["to"] = self.month_to.strftime("%Y-%m")
        if self.country:
            query["country"] = self.country
        return query


CountQuery = Callable[[Filters], Iterable[tuple[str, int]]]
LabelResolver = Callable[[list[str]], dict[str, str]]


@dataclass(frozen=True)
class Measure:
    """A column. By default a count (protected by the small-count rule). Two other kinds:

    - a *statistic* (``gate`` set: a median, an average…): ``query`` returns ``(dimension value, number)``, and the
      number is shown only where the row's count in the measure named ``gate`` is shown (so it describes at least
      5 people or things, and never a group whose size is hidden);
    - a *derived* figure (``derive`` set, no query): computed from the row's protected cells (by measure key),
      e.g. a difference of two shown counts; it must return a hidden cell when any input is hidden.
    """

    key: str
    label: str | Promise
    query: CountQuery | None = None
    gate: str = ""
    derive: Callable[[dict], Cell] | None = None

    @property
    def is_count(self) -> bool:
        return not self.gate and self.derive is None


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    dimension_label: str | Promise
    labels: LabelResolver
    measures: list[Measure]
    # True when each person is in exactly one row (the column totals are published and protected).
    partition: bool = False
    order: str = ORDER_BY_COUNT
    # Free text typed by members (e.g. region of origin): rows under 5 are merged into one "other" row, so
    # what one person typed never appears as a label.
    free_text: bool = False
    note: str | Promise = ""
    # The measures drawn in the chart (keys); by default every count. Statistics share one scale (e.g. days).
    chart: tuple[str, ...] = ()
    # "bar" (horizontal bars) or "map" (rows are countries: a tile map, see ``worldmap.py``).
    chart_kind: str = "bar"

    @property
    def chart_keys(self) -> tuple[str, ...]:
        return self.chart or tuple(m.key for m in self.measures if m.is_count)


@dataclass(frozen=True)
class Report:
    slug: str
    title: str | Promise
    description: str | Promise
    tables: list[Table]
    date_label: str | Promise  # what the period filters on
    country_label: str | Promise  # what the country filters on
    views: list[str] = field(default_factory=list)  # materialized views read (their refresh time is shown)
    # The population the report describes (e.g. members matching the filters), shown as a headline.
    headline_label: str | Promise = ""
    headline: Callable[[Filters], int] | None = None
    order: int = 100
    # Office managers see this report, restricted to their own offices (its queries honour ``Filters.offices``).
    office_scoped: bool = False
    # What a withheld table says, in the words of what the report counts (members, contacts, requests…).
    withheld_text: str | Promise = _("Too few members to show this breakdown without revealing small counts.")
    empty_text: str | Promise = _("No one matches these filters.")

    @property
    def live(self) -> bool:
        """True when the report reads the tables directly (no pre-aggregated view): its figures are current."""
        return not self.views


_registry: dict[str, Report] = {}


def register(report: Report) -> Report:
    _registry[report.slug] = report
    return report


def reports() -> list[Report]:
    return sorted(_registry.values(), key=lambda r: (r.order, r.slug))


def get(slug: str) -> Report | None:
    return _registry.get(slug)


# Helpers for definitions ------------------------------------------------------------------------------------


def period_clause(filters: Filters, column: str) -> tuple[str, list]:
    """SQL conditions (``AND …``) and parameters for the period and nothing else."""
    sql, params = "", []
    if filters.month_from:
        sql += f" AND {column} >= %s"
        params.append(filters.month_from)
    if filters.month_to:
        sql += f" AND {column} <= %s"
        params.append(filters.month_to)
    return sql, params


def office_clause(filters: Filters, column: str) -> tuple[str, list]:
    """SQL condition (``AND …``) restricting to the reader's offices, when the reader is scoped to offices."""
    if filters.offices is None:
        return "", []
    return f" AND {column} = ANY(%s)", [list(filters.offices)]


def fetch_counts(sql: str, params: list) -> list[tuple[str, int]]:
    """Run a ``SELECT value, count … GROUP BY value`` and return its rows."""
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(value) if value is not None else "", int(count)) for value, count in cursor.fetchall()]


def fetch_numbers(sql: str, params: list) -> list[tuple[str, float]]:
    """Run a ``SELECT value, number … GROUP BY value`` (a median, an average) and return its rows."""
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(value) if value is not None else "", float(n)) for value, n in cursor.fetchall() if n is not None]
