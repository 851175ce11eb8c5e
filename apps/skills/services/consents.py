"""Consent records and the stored search document."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, connections, transaction
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.names import keys_literal, keys_refill, token_keys

from ..models import (
    CONSENT_FIELDS,
    NAME_SEPARATORS,
    NAME_TOKEN_MAX_LENGTH,
    ConsentPurpose,
    ConsentRecord,
    DiasporaProfile,
)

# The version of the consent texts members agree to; bump it when the wording changes.
CONSENT_TEXT_VERSION = "2026-11"


@transaction.atomic
def consent_set(
    *, profile: DiasporaProfile, purpose: str, given: bool, method: str, actor=None, request=None
) -> ConsentRecord | None:
    """Record that consent for ``purpose`` was given or withdrawn, and mirror it on the profile.

    Returns the new record, or None when the state did not change (nothing is written twice).
    """
    purpose = ConsentPurpose(purpose)
    field = CONSENT_FIELDS[purpose]
    locked = DiasporaProfile.objects.select_for_update().only("pk", field).get(pk=profile.pk)
    if getattr(locked, field) == given and locked.consent_records.filter(purpose=purpose).exists():
        return None
    record = ConsentRecord.objects.create(
        profile=profile, purpose=purpose, given=given, method=method, text_version=CONSENT_TEXT_VERSION
    )
    DiasporaProfile.objects.filter(pk=profile.pk).update(**{field: given})
    setattr(profile, field, given)
    audit_record(
        actor=actor or profile.user,
        action="consent.give" if given else "consent.withdraw",
        obj=profile,
        summary=f"{purpose.value} via {method}",
        request=request,
    )
    return record


def consent_withdraw(*, profile: DiasporaProfile, purpose: str, method: str, actor=None, request=None):
    return consent_set(profile=profile, purpose=purpose, given=False, method=method, actor=actor, request=request)


def consent_give(*, profile: DiasporaProfile, purpose: str, method: str, actor=None, request=None):
    return consent_set(profile=profile, purpose=purpose, given=True, method=method, actor=actor, request=request)


# The stored search document. Names go in the 'simple' configuration (no stemming, accents removed) and in a
# plain text column for trigram similarity; job title, employer, skills, occupations and sectors go in the
# English, French and Arabic configurations with their labels in that language.
_SEARCH_SQL = """
WITH ids AS (
    SELECT DISTINCT unnest(%(ids)s::bigint[]) AS id
), skills AS (
    SELECT ps.profile_id,
        string_agg(concat_ws(' ', s.label_en, ps.proposed_text), ' ') AS skills_en,
        string_agg(concat_ws(' ', s.label_fr, ps.proposed_text), ' ') AS skills_fr,
        string_agg(concat_ws(' ', s.label_ar, ps.proposed_text), ' ') AS skills_ar
    FROM skills_profileskill ps JOIN ids ON ids.id = ps.profile_id LEFT JOIN skills_skill s ON s.code = ps.skill_id
    GROUP BY ps.profile_id
), occupations AS (
    SELECT po.diasporaprofile_id AS profile_id,
        string_agg(concat_ws(' ', o.label_en, '|', o.label_fr, '|', o.label_ar), ' ') AS occupations
    FROM skills_diasporaprofile_occupations po JOIN ids ON ids.id = po.diasporaprofile_id
    JOIN skills_occupation o ON o.code = po.occupation_id
    GROUP BY po.diasporaprofile_id
), sectors AS (
    SELECT psec.diasporaprofile_id AS profile_id,
        string_agg(concat_ws(' ', se.label_en, '|', se.label_fr, '|', se.label_ar), ' ') AS sectors
    FROM skills_diasporaprofile_sectors psec JOIN ids ON ids.id = psec.diasporaprofile_id
    JOIN skills_sector se ON se.code = psec.sector_id
    GROUP BY psec.diasporaprofile_id
), doc AS (
    SELECT p.id,
        unaccent(lower(concat_ws(' ', p.first_name, p.last_name, p.first_name_ar, p.last_name_ar))) AS names,
        concat_ws(' ', p.job_title, p.employer) AS free_text,
        sk.skills_en, sk.skills_fr, sk.skills_ar, oc.occupations, se.sectors
    FROM skills_diasporaprofile p JOIN ids ON ids.id = p.id
    LEFT JOIN skills sk ON sk.profile_id = p.id
    LEFT JOIN occupations oc ON oc.profile_id = p.id
    LEFT JOIN sectors se ON se.profile_id = p.id
)
UPDATE skills_diasporaprofile p SET
    search_names = doc.names,
    search_vector =
        setweight(to_tsvector('simple', doc.names), 'A')
        || setweight(to_tsvector('english', concat_ws(' ', doc.free_text, doc.skills_en, doc.occupations, doc.sectors)), 'B')
        || setweight(to_tsvector('french', unaccent(concat_ws(' ', doc.free_text, doc.skills_fr, doc.occupations, doc.sectors))), 'B')
        || setweight(to_tsvector('arabic', concat_ws(' ', doc.free_text, doc.skills_ar, doc.occupations, doc.sectors)), 'B')
FROM doc
WHERE p.id = doc.id AND p.erased_at IS NULL
"""


# A profile listed in the bank, in SQL on ``p`` (skills_diasporaprofile): what ``selectors.listed_profiles`` and the
# partial indexes of models.profiles filter on, and what ``ProfileNameToken.listed`` carries (the trigger of
# migration skills 0013 keeps the same condition, frozen there).
PROFILE_LISTED_SQL = "(p.consent_listed AND p.erased_at IS NULL)"

# The words of the names, for the name search (models.NameToken, models.ProfileNameToken): each name field's words,
# and each field with its separators removed ("Ben Ali" → "benali"), lowered and unaccented like ``search_names``,
# with whether the profile is listed (kept in step afterwards by the trigger of migration skills 0013). The
# search document's UPDATE above has locked these profiles' rows, so a concurrent change of their listing waits
# for this transaction and its trigger then sees these words.
_NAME_TOKENS_SQL = f"""
INSERT INTO skills_profilenametoken (token, profile_id, listed)
SELECT DISTINCT left(w.token, %(max_length)s), p.id, {PROFILE_LISTED_SQL}
FROM skills_diasporaprofile p
CROSS JOIN LATERAL unnest(ARRAY[p.first_name, p.last_name, p.first_name_ar, p.last_name_ar]) AS f(name)
CROSS JOIN LATERAL (
    SELECT regexp_split_to_table(unaccent(lower(f.name)), %(separators)s)
    UNION SELECT regexp_replace(unaccent(lower(f.name)), %(separators)s, '', 'g')
) AS w(token)
WHERE p.id = ANY(%(ids)s) AND p.erased_at IS NULL AND w.token <> ''
RETURNING token
"""
# Refreshes hold this lock shared, pruning holds it exclusively: a word a refresh is adding is never pruned by a
# transaction that cannot see it yet.
_NAME_TOKENS_LOCK = 0x5EA7C4


def profile_search_refresh(*, profile_ids: Iterable[int]) -> None:
    """Recompute the stored search document and the name words of these profiles (call after any change to what
    they contain, and after an erasure). Words nobody carries any more are pruned once the transaction commits."""
    ids = list(profile_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_SEARCH_SQL, {"ids": ids})
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_NAME_TOKENS_LOCK])
        cursor.execute("DELETE FROM skills_profilenametoken WHERE profile_id = ANY(%s) RETURNING token", [ids])
        old = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            _NAME_TOKENS_SQL, {"ids": ids, "separators": NAME_SEPARATORS, "max_length": NAME_TOKEN_MAX_LENGTH}
        )
        new = {row[0] for row in cursor.fetchall()}
        tokens = sorted(new)
        cursor.execute(
            "INSERT INTO skills_nametoken (token, keys)"
            " SELECT t, k::varchar[] FROM unnest(%s::varchar[], %s::text[]) AS u(t, k) ON CONFLICT DO NOTHING",
            [tokens, [keys_literal(token_keys(token)) for token in tokens]],
        )
        gone = sorted(old - new)
    if gone:
        transaction.on_commit(lambda: name_tokens_prune(tokens=gone), using=connection.alias)


def name_tokens_keys_refill(*, using: str = "default") -> int:
    """Recompute the keys of every name word (after a change of the matching rules, and for the words stored
    before the keys existed) in one UPDATE from a COPY; returns the number of words."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT token FROM skills_nametoken")
        rows = [(token, keys_literal(token_keys(token))) for (token,) in cursor.fetchall()]
        columns = {"keys": "varchar(24)[]"}
        return keys_refill(cursor, table="skills_nametoken", id_column="token", columns=columns, rows=rows)


def name_tokens_listed_refill(*, using: str = "default") -> int:
    """Set ``ProfileNameToken.listed`` from the profiles wherever it differs (after a restore of one table, or
    rows written with the trigger disabled), in one set-based UPDATE; returns the number of rows corrected."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE skills_profilenametoken n SET listed = {PROFILE_LISTED_SQL}
              FROM skills_diasporaprofile p
             WHERE p.id = n.profile_id AND n.listed IS DISTINCT FROM {PROFILE_LISTED_SQL}
            """
        )
        return cursor.rowcount


def name_tokens_prune(*, tokens: Iterable[str] | None = None) -> int:
    """Remove from the name words those no profile carries any more (among ``tokens``, or all); returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_NAME_TOKENS_LOCK])
        unused = "NOT EXISTS (SELECT 1 FROM skills_profilenametoken n WHERE n.token = t.token)"
        if tokens is None:
            cursor.execute(f"DELETE FROM skills_nametoken t WHERE {unused}")  # noqa: S608 - fixed SQL
        else:
            cursor.execute(f"DELETE FROM skills_nametoken t WHERE t.token = ANY(%s) AND {unused}", [list(tokens)])  # noqa: S608
        return cursor.rowcount


def profile_touch_confirmed(*, profile: DiasporaProfile) -> None:
    """The member says the profile is still correct: it is fresh again and reminders start over."""
    now = timezone.now()
    DiasporaProfile.objects.filter(pk=profile.pk).update(last_confirmed_at=now, confirmation_reminders_sent=0)
    profile.last_confirmed_at = now
    profile.confirmation_reminders_sent = 0
