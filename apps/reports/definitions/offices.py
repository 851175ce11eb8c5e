"""Offices: contacts by office, topic, channel and month; referrals by partner and outcome; follow-ups on time.

Read from ``reports_office_cube`` (see ``apps/reports/sql.py``). Office managers see this report for their own
offices only (``office_scoped``); national roles see every office.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.offices.models import Channel, Referral, Topic

from .. import labels
from ..framework import (
    ORDER_BY_KEY,
    Filters,
    Measure,
    Report,
    Table,
    fetch_counts,
    office_clause,
    period_clause,
    register,
)
from ..sql import OFFICE_CUBE

FOLLOW_UP = {
    "on_time": _("Done on time"),
    "late": _("Done late"),
    "overdue": _("Not done, past due"),
    "pending": _("Not done, not yet due"),
}


def office_counts(dimension: str, group: str = "value"):
    """A measure query over the office cube: things counted for ``dimension``, grouped by ``group``."""

    def query(filters: Filters) -> list[tuple[str, int]]:
        period, params = period_clause(filters, "month")
        scope, scope_params = office_clause(filters, "office_id")
        country = ""
        if filters.country:
            country = " AND country = %s"
            scope_params.append(filters.country)
        sql = (
            f"SELECT {group}, sum(n) FROM {OFFICE_CUBE} WHERE dimension = %s{period}{scope}{country} "
            f"GROUP BY {group} HAVING sum(n) > 0"
        )
        return fetch_counts(sql, [dimension, *params, *scope_params])

    return query


def contacts_total(filters: Filters) -> int:
    return sum(count for _value, count in office_counts("contacts")(filters))


CONTACTS = _("Contacts")
REFERRALS = _("Referrals")

OFFICES_REPORT = register(
    Report(
        slug="offices",
        title=_("Offices"),
        description=_(
            "Contacts logged by the offices, by office, topic, channel and month; referrals by partner and outcome; "
            "follow-ups done on time."
        ),
        date_label=_("Month of the contact or referral"),
        country_label=_("Country of the office"),
        views=[OFFICE_CUBE],
        headline_label=_("Contacts"),
        headline=contacts_total,
        office_scoped=True,
        order=30,
        withheld_text=_("Too few contacts or referrals to show this breakdown without revealing small counts."),
        empty_text=_("No contact or referral matches these filters."),
        tables=[
            Table(
                key="office",
                title=_("Contacts by office"),
                dimension_label=_("Office"),
                labels=labels.offices,
                measures=[Measure("contacts", CONTACTS, office_counts("contacts", "office_id::text"))],
                partition=True,
            ),
            Table(
                key="channel",
                title=_("Contacts by channel"),
                dimension_label=_("Channel"),
                labels=labels.choices(Channel),
                measures=[Measure("contacts", CONTACTS, office_counts("channel"))],
                partition=True,
            ),
            Table(
                key="topic",
                title=_("Contacts by topic"),
                dimension_label=_("Topic"),
                labels=labels.choices(Topic),
                measures=[Measure("contacts", CONTACTS, office_counts("topic"))],
                note=_("A contact may have several topics, so the rows do not add up to the number of contacts."),
            ),
            Table(
                key="month",
                title=_("Contacts by month"),
                dimension_label=_("Month"),
                labels=labels.months,
                measures=[Measure("contacts", CONTACTS, office_counts("contacts", "month::text"))],
                partition=True,
                order=ORDER_BY_KEY,
            ),
            Table(
                key="follow_up",
                title=_("Follow-ups"),
                dimension_label=_("Follow-up"),
                labels=labels.fixed(FOLLOW_UP),
                measures=[Measure("contacts", CONTACTS, office_counts("follow_up"))],
                partition=True,
                order=ORDER_BY_KEY,
                note=_(
                    "Contacts with a follow-up date. On time: done on or before the date it was due. Overdue and "
                    "not yet due are worked out when the figures are refreshed."
                ),
            ),
            Table(
                key="referral_partner",
                title=_("Referrals by partner organisation"),
                dimension_label=_("Partner organisation"),
                labels=labels.organisations,
                measures=[Measure("referrals", REFERRALS, office_counts("referral_partner"))],
                partition=True,
            ),
            Table(
                key="referral_status",
                title=_("Referrals by outcome"),
                dimension_label=_("Outcome"),
                labels=labels.choices(Referral.Status),
                measures=[Measure("referrals", REFERRALS, office_counts("referral_status"))],
                partition=True,
            ),
        ],
    )
)
