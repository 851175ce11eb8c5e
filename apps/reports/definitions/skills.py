"""Skills supply and demand by ISCO major group and by sector, and the gap between them.

Supply is the members who consented to be found: listed in the skills bank, or open to contact for expert
missions. Demand is what is asked for: open exchange requests (expert assignments name ISCO-08 codes; their
sectors are typed text, matched to the sector vocabulary by code or by name in any language) and vacancies
(one occupation and one sector each). The gap is members listed minus the demand (requests plus vacancies),
given only where both are shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import labels
from ..framework import ORDER_BY_KEY, Filters, Measure, Report, Table, fetch_counts, period_clause, register
from ..sql import PROFILE_CUBE
from ..suppression import Cell
from .profiles import MULTI, cube_counts, members_total

LISTED = _("Listed in the skills bank")
EXPERT = _("Open to expert missions")
# Requests still asking: not drafts, and not ended without an exchange.
ASKING_STATES = ["submitted", "returned", "endorsed", "accepted", "approved", "scheduled"]


def _demand_where(filters: Filters, date_column: str, country_column: str) -> tuple[str, list]:
    sql, params = period_clause(filters, f"date_trunc('month', {date_column} AT TIME ZONE 'UTC')::date")
    if filters.country:
        sql += f" AND {country_column} = %s"
        params.append(filters.country)
    return sql, params


def requests_by_isco(filters: Filters) -> list[tuple[str, int]]:
    where, params = _demand_where(filters, "r.created_at", "r.requesting_country_id")
    return fetch_counts(
        "SELECT g.major, count(*) FROM exchange_exchangerequest r "
        "JOIN LATERAL (SELECT DISTINCT left(c, 1) AS major FROM unnest(r.isco_codes) c) g ON true "
        f"WHERE r.state = ANY(%s){where} GROUP BY 1",
        [ASKING_STATES, *params],
    )


def requests_by_sector(filters: Filters) -> list[tuple[str, int]]:
    where, params = _demand_where(filters, "r.created_at", "r.requesting_country_id")
    return fetch_counts(
        "SELECT s.code, count(DISTINCT r.id) FROM exchange_exchangerequest r "
        "CROSS JOIN LATERAL unnest(string_to_array(r.sectors, ',')) typed "
        "JOIN skills_sector s ON lower(btrim(typed)) IN (lower(s.code), lower(s.label_en), lower(s.label_fr), "
        "lower(s.label_ar)) "
        f"WHERE r.state = ANY(%s){where} GROUP BY 1",
        [ASKING_STATES, *params],
    )


def vacancies_by(expression: str):
    def query(filters: Filters) -> list[tuple[str, int]]:
        where, params = _demand_where(filters, "v.created_at", "v.country_id")
        return fetch_counts(
            f"SELECT {expression}, count(*) FROM returns_vacancy v WHERE {expression} IS NOT NULL{where} GROUP BY 1",
            params,
        )

    return query


def gap(cells: dict) -> Cell:
    """Members listed minus requests and vacancies, when all three are shown (else hidden, like its inputs)."""
    parts = [cells["listed"], cells["requests"], cells["vacancies"]]
    if not all(c.shown for c in parts):
        return Cell(None, "withheld")
    return Cell(parts[0].value - parts[1].value - parts[2].value)


GAP = Measure("gap", _("Gap (listed minus asked for)"), derive=gap)

SUPPLY_BY_ISCO = [
    Measure("listed", LISTED, cube_counts("isco_major", "listed")),
    Measure("expert_contact", EXPERT, cube_counts("isco_major", "expert_contact")),
    Measure("requests", _("Asked for in exchange requests"), requests_by_isco),
    Measure("vacancies", _("Vacancies"), vacancies_by("left(v.occupation_id, 1)")),
    GAP,
]
SUPPLY_BY_SECTOR = [
    Measure("listed", LISTED, cube_counts("sector", "listed")),
    Measure("expert_contact", EXPERT, cube_counts("sector", "expert_contact")),
    Measure("requests", _("Asked for in exchange requests"), requests_by_sector),
    Measure("vacancies", _("Vacancies"), vacancies_by("v.sector_id")),
    GAP,
]

SKILLS_REPORT = register(
    Report(
        slug="skills",
        title=_("Skills supply and demand"),
        description=_(
            "Members who consented to be found (listed in the skills bank) or contacted for expert missions, beside "
            "the expertise asked for in open exchange requests and vacancies, by occupation and sector, and the gap."
        ),
        date_label=_("Month of registration, request or vacancy"),
        country_label=_("Country of origin (members) or asking country (requests and vacancies)"),
        views=[PROFILE_CUBE],
        headline_label=_("Registered members"),
        headline=members_total,
        order=20,
        tables=[
            Table(
                key="isco_major",
                title=_("Supply and demand by occupation (ISCO-08 major group)"),
                dimension_label=_("ISCO-08 major group"),
                labels=labels.isco_major_groups,
                measures=SUPPLY_BY_ISCO,
                order=ORDER_BY_KEY,
                note=MULTI,
            ),
            Table(
                key="sector",
                title=_("Supply and demand by sector"),
                dimension_label=_("Sector"),
                labels=labels.sectors,
                measures=SUPPLY_BY_SECTOR,
                note=MULTI,
            ),
        ],
    )
)
