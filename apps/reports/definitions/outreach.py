"""Outreach: campaign messages delivered, sent, bounced, failed, not sent, and unsubscribes, by campaign, language
and channel. Read from ``reports_delivery_cube`` (see ``apps/reports/sql.py``).

The outcome columns split the messages (each message has one outcome), so no row total is published: with a
row total, a small outcome could be worked out from the others. For the same reason the report has no headline
(the sum of every outcome column).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.outreach.models import Channel

from .. import labels
from ..framework import Filters, Measure, Report, Table, fetch_counts, period_clause, register
from ..sql import DELIVERY_CUBE

OUTCOMES = [
    ("delivered", _("Delivered")),
    ("sent", _("Sent, no delivery report yet")),
    ("bounced", _("Bounced")),
    ("failed", _("Failed")),
    ("not_sent", _("Not sent")),
]


def delivery_counts(outcome: str, group: str):
    """A measure query over the delivery cube: messages with ``outcome``, grouped by ``group``."""

    def query(filters: Filters) -> list[tuple[str, int]]:
        period, params = period_clause(filters, "month")
        if filters.country:
            period += " AND country = %s"
            params.append(filters.country)
        sql = (
            f"SELECT {group}, sum(n) FROM {DELIVERY_CUBE} WHERE outcome = %s{period} GROUP BY {group} HAVING sum(n) > 0"
        )
        return fetch_counts(sql, [outcome, *params])

    return query


def outcome_table(key, title, group, dimension_label, resolver) -> Table:
    return Table(
        key=key,
        title=title,
        dimension_label=dimension_label,
        labels=resolver,
        measures=[Measure(outcome, label, delivery_counts(outcome, group)) for outcome, label in OUTCOMES],
        partition=True,
    )


def unsubscribe_table(key, title, group, dimension_label, resolver) -> Table:
    return Table(
        key=key,
        title=title,
        dimension_label=dimension_label,
        labels=resolver,
        measures=[Measure("unsubscribed", _("Unsubscribed"), delivery_counts("unsubscribed", group))],
        partition=True,
        note=_(
            "Consents withdrawn with the unsubscribe link or an SMS STOP, each counted for the latest campaign "
            "message the member was sent under that consent."
        ),
    )


OUTREACH_REPORT = register(
    Report(
        slug="outreach",
        title=_("Outreach"),
        description=_(
            "Campaign messages delivered, sent, bounced, failed and not sent, and unsubscribes, by campaign, "
            "language and channel."
        ),
        date_label=_("Month the message was prepared"),
        country_label=_("Recipient's country of origin"),
        views=[DELIVERY_CUBE],
        order=50,
        withheld_text=_("Too few messages or unsubscribes to show this breakdown without revealing small counts."),
        empty_text=_("No message matches these filters."),
        tables=[
            outcome_table("campaign", _("Messages by campaign"), "campaign_id::text", _("Campaign"), labels.campaigns),
            outcome_table("language", _("Messages by language"), "language", _("Language"), labels.languages),
            outcome_table("channel", _("Messages by channel"), "channel", _("Channel"), labels.choices(Channel)),
            unsubscribe_table(
                "unsubscribed", _("Unsubscribes by campaign"), "campaign_id::text", _("Campaign"), labels.campaigns
            ),
            unsubscribe_table(
                "unsubscribed_language",
                _("Unsubscribes by language"),
                "language",
                _("Language"),
                labels.languages,
            ),
        ],
    )
)
