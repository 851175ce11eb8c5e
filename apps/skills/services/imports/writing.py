"""Writing rows: what checking or applying found per row, and the members of ready rows in bulk."""

from __future__ import annotations

import json

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership, User
from apps.core.bulk import copy_rows
from apps.core.languages import in_each_language
from apps.core.roles import Role

from ...models import DiasporaProfile, ImportBatch, ImportRow, ProfileLanguage, ProfileSkill
from ..consents import profile_search_refresh
from .cleaning import Lookups, clean_row
from .columns import row_values


def rows_update(rows: list[ImportRow]) -> None:
    """Write what checking or applying found for each row, in one statement (``bulk_update`` builds one CASE
    per field and row, which grows with the square of the chunk size)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE skills_importrow r
               SET status = v.status, errors = v.errors::jsonb, duplicate_of_id = v.duplicate_of,
                   duplicate_reason = v.reason, profile_id = v.profile
              FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::text[], %s::bigint[])
                   AS v(id, status, errors, duplicate_of, reason, profile)
             WHERE r.id = v.id
            """,
            [
                [row.pk for row in rows],
                [row.status for row in rows],
                [json.dumps(row.errors or {}) for row in rows],
                [row.duplicate_of_id for row in rows],
                [str(row.duplicate_reason) for row in rows],
                [row.profile_id for row in rows],
            ],
        )


def _insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain values into ``model``'s table with one ``COPY`` (link rows need no model instances: at 100,000 rows
    building them was most of the import's Python time). Table and columns come from the model."""
    meta = model._meta
    columns = [connection.ops.quote_name(meta.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        copy_rows(cursor, connection.ops.quote_name(meta.db_table), columns, rows)


def _create_members(items: list[tuple[ImportRow, dict]], batch: ImportBatch) -> list[int]:
    """Accounts, memberships and profiles for ``items`` in bulk; returns the new profile ids in order."""
    from allauth.account.models import EmailAddress

    now = timezone.now()
    # No password until the member claims the account (the invitation's reset link); one unusable value per chunk.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=data["email"],
                full_name=f"{data['first_name']} {data['last_name']}".strip()[:200],
                preferred_language=data["preferred_language"],
                password=unusable,
                date_joined=now,
            )
            for _row, data in items
        ]
    )
    member_group = Group.objects.get(name=Role.MEMBER)
    _insert_rows(EmailAddress, ["user", "email", "verified", "primary"], [(u.pk, u.email, False, True) for u in users])
    _insert_rows(User.groups.through, ["user", "group"], [(user.pk, member_group.pk) for user in users])
    _insert_rows(
        Membership, ["user", "role", "is_active", "created_at"], [(u.pk, Role.MEMBER, True, now) for u in users]
    )
    profiles = DiasporaProfile.objects.bulk_create(
        [
            DiasporaProfile(
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                first_name_ar=data.get("first_name_ar", ""),
                last_name_ar=data.get("last_name_ar", ""),
                date_of_birth=data.get("date_of_birth"),
                gender=data.get("gender", ""),
                origin_country_id=data.get("origin_country"),
                origin_region=data.get("origin_region", ""),
                nationality_id=data.get("nationality"),
                residence_country_id=data.get("residence_country"),
                residence_city=data.get("residence_city", ""),
                phone=data.get("phone", ""),
                job_title=data.get("job_title", ""),
                employer=data.get("employer", ""),
                years_experience=data.get("years_experience"),
                source="import",
            )
            for user, (_row, data) in zip(users, items, strict=True)
        ]
    )
    sectors, occupations, skills, languages = [], [], [], []
    for profile, (_row, data) in zip(profiles, items, strict=True):
        sectors += [(profile.pk, code) for code in data["sectors"]]
        occupations += [(profile.pk, code) for code in data["occupations"]]
        skills += [(profile.pk, code, "", ProfileSkill.Kind.INFORMAL) for code in data["skills"]]
        skills += [(profile.pk, None, text, ProfileSkill.Kind.INFORMAL) for text in data["proposed_skills"]]
        languages += [(profile.pk, code, ProfileLanguage.Level.WORKING) for code in data["languages"]]
    _insert_rows(DiasporaProfile.sectors.through, ["diasporaprofile", "sector"], sectors)
    _insert_rows(DiasporaProfile.occupations.through, ["diasporaprofile", "occupation"], occupations)
    _insert_rows(ProfileSkill, ["profile", "skill", "proposed_text", "kind"], skills)
    _insert_rows(ProfileLanguage, ["profile", "language", "level"], languages)
    ids = [profile.pk for profile in profiles]
    profile_search_refresh(profile_ids=ids)
    return ids


def import_rows_apply(*, batch: ImportBatch, rows: list[ImportRow], lookups: Lookups) -> tuple[int, int]:
    """Apply ready rows: in bulk inside a savepoint, or row by row when the bulk attempt fails.

    Each row is applied entirely or not at all. Returns (imported, failed).
    """
    items = []
    for row in rows:
        data, errors = clean_row(row_values(row.raw, batch.mapping), lookups, batch.default_language)
        if errors:  # reference data changed since the dry run
            row.status, row.errors = ImportRow.Status.FAILED, errors
        else:
            items.append((row, data))
    try:
        with transaction.atomic():
            ids = _create_members(items, batch) if items else []
        for (row, _data), profile_id in zip(items, ids, strict=True):
            row.status, row.profile_id = ImportRow.Status.IMPORTED, profile_id
    except (IntegrityError, DatabaseError, ValidationError):
        for row, data in items:
            try:
                with transaction.atomic():
                    (profile_id,) = _create_members([(row, data)], batch)
                row.status, row.profile_id = ImportRow.Status.IMPORTED, profile_id
            except IntegrityError:
                row.status = ImportRow.Status.FAILED
                row.errors = {"email": [in_each_language(_("An account with this e-mail address already exists."))]}
            except (DatabaseError, ValidationError) as exc:
                row.status = ImportRow.Status.FAILED
                row.errors = {
                    "__all__": [
                        in_each_language(_("This row could not be saved: %(error)s"), {"error": str(exc)[:200]})
                    ]
                }
    rows_update(rows)
    imported = sum(1 for row in rows if row.status == ImportRow.Status.IMPORTED)
    return imported, len(rows) - imported
