"""Skills supply (and, once the exchange and returns apps exist, demand) by ISCO major group and by sector.

Supply is the members who consented to be found: listed in the skills bank, or open to contact for expert
missions. Demand plugs in as more measures on the same tables: a measure is a ``GROUP BY`` returning
``(ISCO major group, count)`` or ``(sector code, count)`` — see docs/reports.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import labels
from ..framework import ORDER_BY_KEY, Measure, Report, Table, register
from ..sql import PROFILE_CUBE
from .profiles import MULTI, cube_counts, members_total

LISTED = _("Listed in the skills bank")
EXPERT = _("Open to expert missions")

SUPPLY_BY_ISCO = [
    Measure("listed", LISTED, cube_counts("isco_major", "listed")),
    Measure("expert_contact", EXPERT, cube_counts("isco_major", "expert_contact")),
]
SUPPLY_BY_SECTOR = [
    Measure("listed", LISTED, cube_counts("sector", "listed")),
    Measure("expert_contact", EXPERT, cube_counts("sector", "expert_contact")),
]

SKILLS_REPORT = register(
    Report(
        slug="skills",
        title=_("Skills supply"),
        description=_(
            "Members who consented to be found (listed in the skills bank) or contacted for expert missions, by "
            "occupation and sector."
        ),
        date_label=_("Month of registration"),
        country_label=_("Country of origin"),
        views=[PROFILE_CUBE],
        headline_label=_("Registered members"),
        headline=members_total,
        order=20,
        tables=[
            Table(
                key="isco_major",
                title=_("Available members by occupation (ISCO-08 major group)"),
                dimension_label=_("ISCO-08 major group"),
                labels=labels.isco_major_groups,
                measures=SUPPLY_BY_ISCO,
                order=ORDER_BY_KEY,
                note=MULTI,
            ),
            Table(
                key="sector",
                title=_("Available members by sector"),
                dimension_label=_("Sector"),
                labels=labels.sectors,
                measures=SUPPLY_BY_SECTOR,
                note=MULTI,
            ),
        ],
    )
)
