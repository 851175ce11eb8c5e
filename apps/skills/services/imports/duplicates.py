"""Likely duplicates of a row already in the skills bank: the same e-mail or phone, or a close name (in either
script) with the same date of birth."""

from __future__ import annotations

from django.db import connection

from apps.accounts.models import User
from apps.core.names import match as name_match

from ...models import DiasporaProfile, ImportRow

# Names at least this similar (pg_trgm similarity, its default threshold) with the same birth date: a likely duplicate.
NAME_SIMILARITY = 0.3


def duplicates_in_database(rows: list[tuple[ImportRow, dict]]) -> dict[int, tuple[int | None, str]]:
    """Row id → (profile id, reason code of ImportRow.DUPLICATE_REASONS) for rows that look like someone already in
    the skills bank."""
    found: dict[int, tuple[int | None, str]] = {}
    emails = {data["email"]: row.pk for row, data in rows if data.get("email")}
    if emails:
        for email, profile_id in User.objects.filter(email__in=list(emails)).values_list("email", "profile__id"):
            found[emails[email]] = (profile_id, "email")
    phones = {data["phone"]: row.pk for row, data in rows if data.get("phone") and row.pk not in found}
    if phones:
        query = DiasporaProfile.objects.filter(phone__in=list(phones), erased_at__isnull=True)
        for phone, profile_id in query.values_list("phone", "id"):
            found.setdefault(phones[phone], (profile_id, "phone"))
    candidates = [
        (row.pk, _names(data), data["date_of_birth"])
        for row, data in rows
        if row.pk not in found and data.get("date_of_birth") and _names(data)
    ]
    if candidates:
        for row_id, profile_id, reason in _same_name_and_birth(candidates):
            found[row_id] = (profile_id, reason)
    return found


# The people born the same day as a row, closest spelling first; few per day, so the names are compared in Python
# by the one name matcher as well (the same name in the other script, another transcription).
_BORN_THE_SAME_DAY_SQL = """
SELECT r.row_id, m.id, m.close, m.names
  FROM unnest(%s::bigint[], %s::text[], %s::date[]) AS r(row_id, names, born)
  CROSS JOIN LATERAL (
      SELECT p.id, similarity(p.search_names, unaccent(lower(r.names))) >= %s AS close,
             concat_ws(' ', p.first_name, p.last_name, p.first_name_ar, p.last_name_ar) AS names
        FROM skills_diasporaprofile p
       WHERE p.date_of_birth = r.born AND p.erased_at IS NULL
       ORDER BY similarity(p.search_names, unaccent(lower(r.names))) DESC, p.id
       LIMIT %s
  ) AS m
"""
BORN_THE_SAME_DAY_COMPARED = 50


def _same_name_and_birth(candidates: list[tuple[int, str, object]]) -> list[tuple[int, int, str]]:
    """(row id, profile id, reason) for the rows whose names are those of a profile born the same day: a close
    spelling (trigram similarity), or the same name in another script or transcription (apps.core.names)."""
    names_of = {row_id: names for row_id, names, _born in candidates}
    with connection.cursor() as cursor:
        # similarity() rather than the % operator: the few people born that day (birth-date index) are compared,
        # instead of every profile sharing a trigram with the name (the trigram index).
        cursor.execute(
            _BORN_THE_SAME_DAY_SQL,
            [
                [c[0] for c in candidates],
                [c[1] for c in candidates],
                [c[2] for c in candidates],
                NAME_SIMILARITY,
                BORN_THE_SAME_DAY_COMPARED,
            ],
        )
        rows = cursor.fetchall()
    out, done = [], set()
    for row_id, profile_id, close, names in rows:
        if row_id in done:
            continue
        if close:
            reason = "name"
        elif name_match(names_of[row_id], names):
            # The names themselves: the reader's page says why they match, in the reader's language.
            reason = f"script:{names_of[row_id]}|{names}"[:200]
        else:
            continue
        done.add(row_id)
        out.append((row_id, profile_id, reason))
    return out


def _names(data: dict) -> str:
    return " ".join(
        part for part in (data.get(k, "") for k in ("first_name", "last_name", "first_name_ar", "last_name_ar")) if part
    )
