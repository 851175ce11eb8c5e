"""Turn the dashboard aggregates into data for server-rendered charts (CSS bars) and their tables."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Channel, Referral, Topic

PALETTE = [
    "#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997",
    "#0dcaf0", "#d63384", "#6c757d", "#ffc107", "#6610f2", "#795548",
]  # fmt: skip


def _week_start(value) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day - dt.timedelta(days=day.weekday())


def _chart(measure: str, rows, key: str, choices, start: dt.date, today: dt.date) -> dict:
    weeks = []
    week = _week_start(start)
    while week <= today:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    counts: dict[tuple[dt.date, str], int] = {}
    for row in rows:
        counts[(_week_start(row["week"]), row[key])] = (
            counts.get((_week_start(row["week"]), row[key]), 0) + row["count"]
        )
    used = {k for (_, k) in counts}
    series = [
        {"key": value, "label": label, "color": PALETTE[i % len(PALETTE)]}
        for i, (value, label) in enumerate(choices)
        if value in used
    ]
    table = []
    for week in weeks:
        values = [counts.get((week, s["key"]), 0) for s in series]
        table.append({"week": week, "counts": values, "total": sum(values)})
    peak = max([r["total"] for r in table] + [1])
    for row in table:
        row["segments"] = [
            {"series": s, "count": c, "width": f"{100 * c / peak:.2f}"}
            for s, c in zip(series, row["counts"], strict=True)
            if c
        ]
    return {"measure": measure, "series": series, "rows": table, "peak": peak}


MEASURES = {
    "contacts_by_channel": gettext_lazy("Contacts by channel"),
    "contacts_by_topic": gettext_lazy("Contacts by topic"),
}


def dashboard_csv_lines(charts: dict) -> list[list]:
    """The dashboard's figures as spreadsheet lines in the reader's language: headers, measures, categories."""
    lines: list[list] = [[_("Measure"), _("Week of"), _("Category"), _("How many")]]
    for chart in (charts["channel_chart"], charts["topic_chart"]):
        for row in chart["rows"]:
            for series, count in zip(chart["series"], row["counts"], strict=True):
                lines.append(
                    # ISO 8601 dates: every spreadsheet reads them as dates, whatever its locale (a localised
                    # Arabic short date carries direction marks and stays text).
                    [str(MEASURES[chart["measure"]]), row["week"].isoformat(), series["label"], count]
                )
    lines.append([_("Open follow-ups"), "", "", charts["open_follow_ups"]])
    lines.append([_("Overdue follow-ups"), "", "", charts["overdue_follow_ups"]])
    for row in charts["referral_rows"]:
        lines.append([_("Referrals"), "", str(row["label"]), row["count"]])
    return lines


def dashboard_charts(data: dict, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    referral_counts = {row["status"]: row["count"] for row in data["referrals"]}
    peak = max(list(referral_counts.values()) + [1])
    referral_rows = [
        {"key": value, "label": label, "count": referral_counts.get(value, 0),
         "width": f"{100 * referral_counts.get(value, 0) / peak:.2f}"}
        for value, label in Referral.Status.choices
    ]  # fmt: skip
    return {
        "channel_chart": _chart(
            "contacts_by_channel", data["by_channel"], "channel", Channel.choices, data["start"], today
        ),
        "topic_chart": _chart("contacts_by_topic", data["by_topic"], "topic", Topic.choices, data["start"], today),
        "open_follow_ups": data["open_follow_ups"],
        "overdue_follow_ups": data["overdue_follow_ups"],
        "referral_rows": referral_rows,
    }
