"""Server-rendered SVG bar charts. No JavaScript, no external library; mirrored for right-to-left languages.

A chart is drawn from a protected :class:`~apps.reports.selectors.TableResult`, never from raw counts: a hidden
cell has no bar, only its marker ("<5", "hidden"), so the chart says exactly what the table beside it says.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.formatting import colon

from .selectors import TableResult

WIDTH = 640
LABEL_WIDTH = 230
VALUE_ROOM = 64
BAR_HEIGHT = 16
ROW_GAP = 10
TOP = 8
LEGEND_ROW = 22
COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1"]
MAX_LABEL = 34


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(result: TableResult, *, rtl: bool, chart_id: str) -> SafeString:
    """A horizontal bar chart: labels on the reading side, bars growing toward the other."""
    keys = result.table.chart_keys
    picked = [i for i, (key, _label) in enumerate(result.measures) if key in keys]
    measures = [result.measures[i] for i in picked]
    rows = [(row.label, [row.cells[i] for i in picked]) for row in result.rows]
    n = len(measures)
    legend = LEGEND_ROW * n if n > 1 else 0  # one line per measure: long labels never overlap
    row_height = n * BAR_HEIGHT + ROW_GAP
    height = TOP + legend + max(1, len(rows)) * row_height + 4
    largest = max((c.value or 0 for _label, cells in rows for c in cells if c.shown), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    direction = "rtl" if rtl else "ltr"

    def x(at: float) -> float:
        """Distance ``at`` from the reading edge, mirrored when right-to-left."""
        return WIDTH - at if rtl else at

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title" data-direction="{direction}">',
        f'<title id="{chart_id}-title">{escape(result.title)}</title>',
    ]
    if n > 1:
        for index, (_key, label) in enumerate(measures):
            top = TOP + index * LEGEND_ROW
            swatch = x(LABEL_WIDTH) - (12 if rtl else 0)
            parts.append(f'<rect x="{swatch:.1f}" y="{top}" width="12" height="12" fill="{COLOURS[index % 4]}"/>')
            parts.append(
                f'<text x="{x(LABEL_WIDTH + 18):.1f}" y="{top + 11}" direction="{direction}" text-anchor="start" '
                f'font-size="12">{escape(label)}</text>'
            )
    # The axis the bars grow from.
    axis = x(LABEL_WIDTH)
    parts.append(
        f'<line x1="{axis:.1f}" y1="{TOP + legend}" x2="{axis:.1f}" y2="{height - 4}" stroke="#6c757d" stroke-width="1"/>'
    )
    for r, (row_label, cells) in enumerate(rows):
        y0 = TOP + legend + r * row_height
        parts.append(
            f'<text x="{x(4):.1f}" y="{y0 + n * BAR_HEIGHT / 2 + 4:.1f}" direction="{direction}" '
            f'text-anchor="start" font-size="12"><title>{escape(row_label)}</title>{escape(_short(row_label))}</text>'
        )
        for m, cell in enumerate(cells):
            y = y0 + m * BAR_HEIGHT
            length = plot * max(cell.value or 0, 0) / largest if cell.shown else 0
            start = LABEL_WIDTH
            left = x(start + length) if rtl else x(start)
            if length:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y + 2}" width="{length:.1f}" height="{BAR_HEIGHT - 3}" '
                    f'fill="{COLOURS[m % 4]}"><title>{escape(row_label)}{colon()} {escape(cell.display)}</title></rect>'
                )
            # The figure, just past the end of the bar; always left-to-right so "<5" reads the same everywhere.
            at = x(start + length + 4)
            anchor = "end" if rtl else "start"
            parts.append(
                f'<text x="{at:.1f}" y="{y + BAR_HEIGHT - 4}" direction="ltr" text-anchor="{anchor}" '
                f'font-size="11" fill="#212529" unicode-bidi="embed">{escape(cell.display)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def chart(result: TableResult, *, rtl: bool, chart_id: str) -> SafeString:
    """The chart the table asks for: a world map for tables by country, bars otherwise."""
    if result.table.chart_kind == "map":
        from .worldmap import world_map

        return world_map(result, rtl=rtl, chart_id=chart_id)
    return bar_chart(result, rtl=rtl, chart_id=chart_id)
