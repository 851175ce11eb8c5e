"""Client records: created, edited (with their version), their name keys, merged."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.names import keys_literal, keys_refill, name_index

from ..models import (
    Contact,
    Office,
    Person,
    Referral,
    Vulnerability,
)
from ..permissions import (
    can_read_person,
    can_read_restricted,
    works_in,
)
from .common import require_staff

PERSON_FIELDS = (
    "name_latin",
    "name_arabic",
    "sex",
    "birth_year",
    "birth_date",
    "nationality",
    "residence_country",
    "phone",
    "email",
    "preferred_language",
    "profile",
)


def _check_vulnerabilities(values: Iterable[str]) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in Vulnerability.values]
    if unknown:
        raise ValidationError({"vulnerabilities": _("Unknown vulnerability flag: %(flag)s") % {"flag": unknown[0]}})
    return values


def _check_profile_consent(profile) -> None:
    if profile is not None and not profile.consent_listed:
        raise ValidationError(
            {"profile": _("This member has not consented to their profile being used by authorities.")}
        )


@transaction.atomic
def person_create(
    *,
    office: Office,
    actor,
    vulnerabilities: Iterable[str] = (),
    languages: Iterable | None = None,
    counsellor=None,
    **fields,
) -> Person:
    require_staff(actor, office)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(office=office, counsellor=counsellor or actor, **fields)
    person.vulnerabilities = _check_vulnerabilities(vulnerabilities)
    _validate_person(person)
    person.save()
    if languages is not None:
        person.languages.set(languages)
    audit_record(actor=actor, action="offices.person.create", obj=person)
    return person


# What an edit may change: the client record's fields; the flags and the counsellor only for restricted readers.
PERSON_EDITABLE = (*PERSON_FIELDS, "languages", "vulnerabilities", "counsellor")
PERSON_RESTRICTED = ("vulnerabilities", "counsellor")
_PERSON_FOREIGN_KEYS = ("nationality", "residence_country", "profile", "counsellor")


def person_touch(person_id: int) -> None:
    """A contact was logged with this client: they move up the office's recent clients (``updated_at``). One
    statement, written directly: the quick-log runs it on every save, and building it through the ORM cost more
    than running it. The time is the server's clock, as ``auto_now`` would set it."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Person._meta.db_table}" SET "updated_at" = %s WHERE "id" = %s', [timezone.now(), person_id]
        )


def person_names_set(person: Person) -> None:
    """What the name search and the duplicate warning read (apps.core.names), from the two names."""
    person.search_name, person.name_keys = name_index(person.name_latin or "", person.name_arabic or "")
    person.name_key_text = " ".join(person.name_keys)


REFILL_BATCH = 50_000


def person_names_refill(*, using: str = "default") -> int:
    """Recompute every client's stored names and name keys (after a change of the matching rules, and for the
    rows recorded before the keys existed): batches by primary key, each one COPY and one UPDATE. Returns the
    number of clients."""
    total, last = 0, 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, name_latin, name_arabic FROM offices_person WHERE id > %s ORDER BY id LIMIT %s",
                [last, REFILL_BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return total
            values = []
            for pk, latin, arabic in rows:
                search_name, keys = name_index(latin or "", arabic or "")
                values.append((pk, search_name, keys_literal(keys), " ".join(keys)))
            columns = {"search_name": "text", "name_keys": "varchar(24)[]", "name_key_text": "text"}
            total += keys_refill(
                cursor, table="offices_person", id_column="id", columns=columns, rows=values, id_type="bigint"
            )
            last = rows[-1][0]


def _validate_person(person: Person) -> None:
    """The rules a client record meets when it is created and after every edit."""
    if not ((person.name_latin or "").strip() or (person.name_arabic or "").strip()):
        raise ValidationError({"name_latin": _("Give a name in Latin or Arabic script.")})
    if person.birth_date:
        if not person.birth_year:
            person.birth_year = person.birth_date.year
        elif person.birth_year != person.birth_date.year:
            raise ValidationError({"birth_year": _("The birth year does not match the birth date.")})
    if person.counsellor_id and not works_in(person.counsellor, person.office):
        raise ValidationError({"counsellor": _("The counsellor must work in this office.")})
    _check_profile_consent(person.profile)
    person_names_set(person)
    person.full_clean()


def _person_value(person: Person, name: str):
    if name == "languages":
        return set(person.languages.values_list("pk", flat=True))
    if name in _PERSON_FOREIGN_KEYS:
        return getattr(person, f"{name}_id")
    if name == "vulnerabilities":
        return sorted(person.vulnerabilities)
    return getattr(person, name)


@transaction.atomic
def person_update(*, person: Person, actor, **changes) -> list[str]:
    """Edit a client record; returns the names of the fields that changed (audited by name, never by value)."""
    if not can_read_person(actor, person):
        raise Http404
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if set(changes) & set(PERSON_RESTRICTED) and not can_read_restricted(actor, person):
        raise PermissionDenied
    # the row is locked so that a merge or another edit in between is not overwritten
    locked = Person.objects.select_for_update().filter(pk=person.pk).values("merged_into_id", "version").first()
    if locked is None or locked["merged_into_id"]:
        raise ValidationError(_("This record was merged into another one; edit that one."))
    before = {name: _person_value(person, name) for name in changes}
    for name, value in changes.items():
        if name == "vulnerabilities":
            person.vulnerabilities = _check_vulnerabilities(value)
        elif name != "languages":
            setattr(person, name, value)
    _validate_person(person)
    after = {name: _person_value(person, name) for name in changes if name != "languages"}
    if "languages" in changes:
        after["languages"] = {getattr(language, "pk", language) for language in changes["languages"]}
    changed = sorted(name for name in changes if before[name] != after[name])
    columns = [name for name in changed if name != "languages"]
    if not changed:
        return []
    person.version = locked["version"] + 1  # every edit is a new version (offline edits name the one they read)
    person.save(
        update_fields=[*columns, "birth_year", "search_name", "name_keys", "name_key_text", "version", "updated_at"]
    )
    if "languages" in changed:
        person.languages.set(changes["languages"])
    audit_record(
        actor=actor,
        action="offices.person.update",
        obj=person,
        summary="changed: " + ", ".join(changed),
        extra={"fields": changed},
    )
    return changed


# Apps that keep records about a person (returns: return plans) register here how those records follow a merge:
# ``follow(*, keep, duplicate)``, run inside the merge's transaction.
PERSON_MERGE_HOOKS: list[Callable[..., None]] = []


def person_merge_hook_register(follow: Callable[..., None]) -> None:
    if follow not in PERSON_MERGE_HOOKS:
        PERSON_MERGE_HOOKS.append(follow)


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor) -> Person:
    """Fold ``duplicate`` into ``keep``: both histories stay, contacts and referrals now point at ``keep``."""
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("A person cannot be merged with themself.")})
    if keep.office_id != duplicate.office_id:
        raise Http404
    if not (can_read_person(actor, keep) and can_read_person(actor, duplicate)):
        raise Http404
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError({"duplicate": _("This record has already been merged.")})
    contacts = Contact.objects.filter(person=duplicate).update(person=keep)
    referrals = Referral.objects.filter(person=duplicate).update(person=keep)
    for follow in PERSON_MERGE_HOOKS:  # records of the apps above (return plans) follow the person
        follow(keep=keep, duplicate=duplicate)
    for name in ("name_latin", "name_arabic", "sex", "birth_year", "birth_date", "phone", "email", "profile"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in ("nationality_id", "residence_country_id", "counsellor_id"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.vulnerabilities = list(dict.fromkeys([*keep.vulnerabilities, *duplicate.vulnerabilities]))
    person_names_set(keep)
    keep.save()
    keep.languages.add(*duplicate.languages.all())
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    audit_record(
        actor=actor,
        action="offices.person.merge",
        obj=keep,
        extra={"merged": duplicate.pk, "contacts": contacts, "referrals": referrals},
    )
    return keep
