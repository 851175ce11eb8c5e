"""Diaspora profile: who the registered members are, where they live, what they do, how fresh their data is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import labels
from ..framework import ORDER_BY_KEY, Filters, Measure, Report, Table, fetch_counts, period_clause, register
from ..sql import PROFILE_CUBE


def cube_counts(dimension: str, column: str = "members", *, by_month: bool = False):
    """A measure query over the profile cube: ``column`` summed by value (or by month) of ``dimension``."""
    group = "month::text" if by_month else "value"

    def query(filters: Filters) -> list[tuple[str, int]]:
        period, params = period_clause(filters, "month")
        country = ""
        if filters.country:
            country = " AND origin = %s"
            params.append(filters.country)
        sql = (
            f"SELECT {group}, sum({column}) FROM {PROFILE_CUBE} "
            f"WHERE dimension = %s{period}{country} GROUP BY {group} HAVING sum({column}) > 0"
        )
        return fetch_counts(sql, [dimension, *params])

    return query


def members_total(filters: Filters) -> int:
    return sum(count for _value, count in cube_counts("all")(filters))


MEMBERS = _("Members")
MULTI = _("A member may be counted in several rows, so the rows do not add up to the number of members.")


def members_table(
    key, title, dimension, dimension_label, resolver, *, partition, order="count", free_text=False, chart_kind="bar"
):
    return Table(
        key=key,
        title=title,
        dimension_label=dimension_label,
        labels=resolver,
        measures=[Measure("members", MEMBERS, cube_counts(dimension))],
        partition=partition,
        order=order,
        free_text=free_text,
        note="" if partition else MULTI,
        chart_kind=chart_kind,
    )


PROFILE_REPORT = register(
    Report(
        slug="profiles",
        title=_("Diaspora profile"),
        description=_(
            "Registered members (not erased) by country of residence, region of origin, generation, sector, "
            "occupation, education, languages and engagement interests; growth and freshness."
        ),
        date_label=_("Month of registration"),
        country_label=_("Country of origin"),
        views=[PROFILE_CUBE],
        headline_label=_("Registered members"),
        headline=members_total,
        order=10,
        tables=[
            members_table(
                "residence",
                _("Members by country of residence"),
                "residence",
                _("Country of residence"),
                labels.countries,
                partition=True,
                chart_kind="map",
            ),
            members_table(
                "origin_region",
                _("Members by region of origin"),
                "origin_region",
                _("Region or municipality of origin"),
                labels.free_text,
                partition=True,
                free_text=True,
            ),
            members_table(
                "generation",
                _("Members by generation"),
                "generation",
                _("Generation"),
                labels.generations,
                partition=True,
                order=ORDER_BY_KEY,
            ),
            members_table(
                "sector",
                _("Members by sector"),
                "sector",
                _("Sector"),
                labels.sectors,
                partition=False,
            ),
            members_table(
                "isco_major",
                _("Members by occupation (ISCO-08 major group)"),
                "isco_major",
                _("ISCO-08 major group"),
                labels.isco_major_groups,
                partition=False,
                order=ORDER_BY_KEY,
            ),
            members_table(
                "education",
                _("Members by highest level of education"),
                "education",
                _("Education level (ISCED 2011)"),
                labels.education_levels,
                partition=True,
                order=ORDER_BY_KEY,
            ),
            members_table(
                "language",
                _("Members by language"),
                "language",
                _("Language"),
                labels.languages,
                partition=False,
            ),
            members_table(
                "interest",
                _("Members by engagement interest"),
                "interest",
                _("Engagement interest"),
                labels.engagement_interests,
                partition=False,
            ),
            Table(
                key="growth",
                title=_("Growth over time"),
                dimension_label=_("Month"),
                labels=labels.months,
                measures=[
                    Measure("registered", _("Registrations"), cube_counts("registered", by_month=True)),
                    Measure("erased", _("Erasures"), cube_counts("erased", by_month=True)),
                ],
                partition=True,
                order=ORDER_BY_KEY,
                note=_(
                    "Registrations count every profile created in the month, including members who have since "
                    "erased their data; erasures are counted in the month of erasure."
                ),
            ),
            members_table(
                "freshness",
                _("Freshness: members who confirmed their profile in the last 12 months"),
                "confirmed",
                _("Profile confirmation"),
                labels.confirmation,
                partition=True,
                order=ORDER_BY_KEY,
            ),
        ],
    )
)
