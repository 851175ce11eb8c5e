"""A person's timeline: contacts (with the sheets handed out at each) and referrals, in one statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from apps.core.titles import TitleInLanguage

from ..models import Channel, ContactDisplay, Person, Referral

# The timeline in one statement: a person's contacts (with the sheets handed out at each, as a JSON array) and
# referrals, newest first; at the same instant a contact comes before a referral. Both halves start from the
# ``person`` indexes. Users are named as ``User.__str__`` names them (full name, else e-mail).
TIMELINE_SQL = """
SELECT * FROM (
SELECT 'contact' AS kind, c.id, c.occurred_at AS at, c.channel, c.family_relationship, c.reporter_name,
       c.reporter_phone, c.reporter_may_call_back, c.topics, c.summary,
       c.outcome, c.notes_encrypted, c.follow_up_due, c.follow_up_done_at,
       coalesce(nullif(s.full_name, ''), s.email) AS by_name,
       coalesce(nullif(a.full_name, ''), a.email) AS assignee_name,
       ARRAY(SELECT json_build_object('id', h.sheet_id, {titles})
               FROM returns_sheethandout h JOIN returns_infosheet i ON i.id = h.sheet_id
              WHERE h.contact_id = c.id ORDER BY h.id) AS sheets,
       NULL AS organisation_name, NULL AS status, NULL AS reason
  FROM offices_contact c
  LEFT JOIN accounts_user s ON s.id = c.staff_id
  LEFT JOIN accounts_user a ON a.id = c.follow_up_assignee_id
 WHERE c.person_id = %(person)s
UNION ALL
SELECT 'referral', r.id, r.created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       coalesce(nullif(u.full_name, ''), u.email), NULL, NULL, o.name, r.status, r.reason
  FROM offices_referral r
  JOIN accounts_organisation o ON o.id = r.organisation_id
  LEFT JOIN accounts_user u ON u.id = r.created_by_id
 WHERE r.person_id = %(person)s
) AS timeline
ORDER BY at DESC, kind = 'contact' DESC, id DESC
"""


@dataclass
class TimelineContact(ContactDisplay):
    pk: int
    occurred_at: dt.datetime
    channel: str
    family_relationship: str
    reporter_name: str
    reporter_phone: str
    reporter_may_call_back: bool
    topics: list[str]
    summary: str
    outcome: str
    notes_encrypted: str
    follow_up_due: dt.date | None
    follow_up_done_at: dt.datetime | None
    staff: str
    follow_up_assignee: str
    sheets_handed_out: list[TitleInLanguage]

    def get_channel_display(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel


@dataclass
class TimelineReferral:
    pk: int
    created_at: dt.datetime
    created_by: str
    organisation_name: str
    status: str
    reason: str

    def get_status_display(self) -> str:
        return str(Referral.Status(self.status).label) if self.status in Referral.Status.values else self.status


def person_timeline(*, user, person: Person) -> list[dict]:
    """Contacts and referrals of ``person``, newest first, in one query (:data:`TIMELINE_SQL`); each entry is
    ``{"kind": "contact" | "referral", "when": …, "item": TimelineContact | TimelineReferral}``.

    The caller has already checked that ``user`` may read ``person`` (``person_get``)."""
    titles = ", ".join(f"'{code}', i.title_{code}" for code, _ in settings.LANGUAGES)
    with connection.cursor() as cursor:
        cursor.execute(TIMELINE_SQL.format(titles=titles), {"person": person.pk})
        rows = cursor.fetchall()
    entries = []
    for (
        kind,
        pk,
        at,
        channel,
        relationship,
        reporter_name,
        reporter_phone,
        may_call_back,
        topics,
        summary,
        outcome,
        notes,
        due,
        done,
        by,
        assignee,
        sheets,
        *rest,
    ) in rows:
        item: TimelineContact | TimelineReferral
        if kind == "contact":
            item = TimelineContact(
                pk, at, channel, relationship, reporter_name, reporter_phone, may_call_back, topics, summary,
                outcome, notes, due, done, by or "", assignee or "",
                [TitleInLanguage.pick(sheet["id"], sheet) for sheet in sheets],
            )  # fmt: skip
        else:
            item = TimelineReferral(pk, at, by or "", *rest)
        entries.append({"kind": kind, "when": at, "item": item})
    return entries
