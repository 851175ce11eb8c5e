"""A server-rendered world map of a protected table by country: a tile grid, one square per country, grouped by
region (no geometry: no public-domain world outline ships with the project, and none is downloaded).

Each square is coloured by count class, carries the ISO code and the figure as text (so colour is never the only
cue), and a ``<title>`` with the country's name and figure; hidden figures ("<5", "hidden") are drawn in a
neutral grey with a dashed border. The whole map mirrors for right-to-left languages: regions and squares are
laid out from the right, as an Arabic reader reads.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.formatting import colon

from . import labels as label_resolvers
from .selectors import TableResult

# (region name, [ISO 3166-1 alpha-2 codes]), in columns: the Americas, Europe, Africa, Asia and Oceania.
COLUMNS = [
    (
        5,
        [
            (gettext_lazy("North America"), "CA US MX GL BM PM"),
            (
                gettext_lazy("Central America and the Caribbean"),
                "GT BZ SV HN NI CR PA CU JM HT DO PR BS TT BB LC VC GD AG DM KN AW CW KY TC VG VI",
            ),
            (gettext_lazy("South America"), "CO VE GY SR GF EC PE BR BO PY CL AR UY FK"),
        ],
    ),
    (
        5,
        [
            (gettext_lazy("Northern Europe"), "IS NO SE FI DK EE LV LT IE GB FO"),
            (gettext_lazy("Western Europe"), "FR BE NL LU DE CH AT LI MC"),
            (gettext_lazy("Southern Europe"), "PT ES AD IT SM VA MT SI HR BA RS ME MK AL GR CY GI"),
            (gettext_lazy("Eastern Europe"), "PL CZ SK HU RO BG MD UA BY RU"),
        ],
    ),
    (
        6,
        [
            (gettext_lazy("North Africa"), "MA DZ TN LY EG SD EH"),
            (gettext_lazy("West Africa"), "MR SN GM GW GN SL LR CI ML BF GH TG BJ NE NG CV"),
            (gettext_lazy("Central Africa"), "CM TD CF GQ GA CG CD AO ST"),
            (gettext_lazy("East Africa"), "ER DJ ET SO SS UG KE RW BI TZ MZ MW ZM ZW MG KM MU SC RE YT"),
            (gettext_lazy("Southern Africa"), "NA BW ZA LS SZ"),
        ],
    ),
    (
        6,
        [
            (gettext_lazy("Western Asia"), "TR SY LB IL PS JO IQ IR KW SA BH QA AE OM YE GE AM AZ"),
            (gettext_lazy("Central and South Asia"), "KZ UZ TM KG TJ AF PK IN NP BT BD LK MV"),
            (gettext_lazy("East Asia"), "CN MN KP KR JP TW HK MO"),
            (gettext_lazy("South-East Asia"), "MM TH LA KH VN MY SG BN ID PH TL"),
            (gettext_lazy("Oceania"), "AU NZ PG FJ SB VU NC PF WS TO KI FM MH PW NR TV"),
        ],
    ),
]
PLACED = {code for _width, regions in COLUMNS for _name, codes in regions for code in codes.split()}

TILE = 34
GAP = 3
COLUMN_GAP = 18
LABEL_ROW = 20
LEGEND_ROW = 20
NONE = "#f8f9fa"
HIDDEN = "#ced4da"
# (lowest count, fill, text colour): 5–9, 10–99, 100–999, 1,000 or more.
CLASSES = [
    (1000, "#08519c", "#ffffff"),
    (100, "#3182bd", "#ffffff"),
    (10, "#9ecae1", "#212529"),
    (5, "#deebf7", "#212529"),
]


def _class(value: int) -> tuple[str, str]:
    for low, fill, ink in CLASSES:
        if value >= low:
            return fill, ink
    return NONE, "#6c757d"


def _layout() -> tuple[dict[str, tuple[float, float]], list[tuple[str, float, float]], float, float]:
    """Tile positions (left-to-right), region labels and the map's size; unplaced codes go in a last region."""
    tiles, labels = {}, []
    x0, height = 0.0, 0.0
    for width, regions in COLUMNS:
        y = 0.0
        for name, codes in regions:
            labels.append((str(name), x0, y + 14))
            y += LABEL_ROW
            for i, code in enumerate(codes.split()):
                tiles[code] = (x0 + (i % width) * (TILE + GAP), y + (i // width) * (TILE + GAP))
            y += -(-len(codes.split()) // width) * (TILE + GAP) + 6
        height = max(height, y)
        x0 += width * (TILE + GAP) + COLUMN_GAP
    return tiles, labels, x0 - COLUMN_GAP, height


def world_map(result: TableResult, *, rtl: bool, chart_id: str) -> SafeString:
    """The table's first measure by country (row keys are ISO codes), as an accessible SVG tile map."""
    tiles, labels, width, height = _layout()
    cells = {row.key: (row.label, row.cells[0]) for row in result.rows if row.key}
    names = label_resolvers.countries(sorted(PLACED))  # every square says which country it is (one query)
    others = sorted(code for code in cells if code not in PLACED)
    if others:
        labels.append((_("Other countries"), 0.0, height + 14))
        for i, code in enumerate(others):
            tiles[code] = ((i % 20) * (TILE + GAP), height + LABEL_ROW + (i // 20) * (TILE + GAP))
        height += LABEL_ROW + -(-len(others) // 20) * (TILE + GAP)
    legend_top = height + 8
    total_height = legend_top + LEGEND_ROW * 2 + 4
    direction = "rtl" if rtl else "ltr"

    def x(at: float, size: float = 0) -> float:
        return width - at - size if rtl else at

    shown = sum(1 for _label, cell in cells.values() if cell.shown and cell.value)
    hidden = sum(1 for _label, cell in cells.values() if not cell.shown)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-map" role="img" '
        f'viewBox="0 0 {width:.0f} {total_height:.0f}" width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'data-direction="{direction}">',
        f'<title id="{chart_id}-title">{escape(result.title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape(
            _(
                "A map with one square per country, grouped by region. %(shown)s countries with figures, "
                "%(hidden)s countries with a hidden figure. The same figures are in the table."
            )
            % {"shown": shown, "hidden": hidden}
        )
        + "</desc>",
    ]
    anchor = "start"  # with direction="rtl", the start is the right end: labels grow toward the reading side
    for name, left, top in labels:
        parts.append(
            f'<text x="{x(left):.1f}" y="{top:.1f}" direction="{direction}" text-anchor="{anchor}" font-size="12" '
            f'font-weight="600" fill="#495057">{escape(name)}</text>'
        )
    for code, (left, top) in tiles.items():
        label, cell = cells.get(code, (names.get(code, code), None))
        if cell is None:
            fill, ink, figure, dash = NONE, "#adb5bd", "", ""
        elif not cell.shown:
            fill, ink, figure, dash = HIDDEN, "#212529", cell.display, ' stroke-dasharray="3 2"'
        else:
            fill, ink = _class(cell.value or 0)
            figure, dash = cell.display, ""
        tip = f"{label}{colon()} {figure}" if cell is not None else label
        cx = x(left, TILE) + TILE / 2
        parts.append(
            f'<g data-country="{escape(code)}"><title>{escape(tip)}</title>'
            f'<rect x="{x(left, TILE):.1f}" y="{top:.1f}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" '
            f'stroke="#6c757d" stroke-width="0.6"{dash}/>'
            f'<text x="{cx:.1f}" y="{top + 14:.1f}" text-anchor="middle" direction="ltr" font-size="10" '
            f'font-weight="600" fill="{ink}">{escape(code)}</text>'
        )
        if figure:
            parts.append(
                f'<text x="{cx:.1f}" y="{top + 27:.1f}" text-anchor="middle" direction="ltr" font-size="9" '
                f'fill="{ink}">{escape(figure)}</text>'
            )
        parts.append("</g>")
    legend = [
        (NONE, _("No members")),
        (HIDDEN, _("<5 or hidden")),
        *[
            (fill, text)
            for (_low, fill, _ink), text in zip(reversed(CLASSES), ["5–9", "10–99", "100–999", "1000+"], strict=True)
        ],
    ]
    for i, (fill, text) in enumerate(legend):
        left = (i % 3) * 150
        top = legend_top + (i // 3) * LEGEND_ROW
        parts.append(
            f'<rect x="{x(left, 12):.1f}" y="{top:.1f}" width="12" height="12" fill="{fill}" stroke="#6c757d" '
            f'stroke-width="0.6"/><text x="{x(left + 18):.1f}" y="{top + 11:.1f}" direction="{direction}" '
            f'text-anchor="{anchor}" font-size="11">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
