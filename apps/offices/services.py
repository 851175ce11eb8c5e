"""Every write of the offices app. Each function is atomic, checks permission and state, validates and audits.

Restricted notes are encrypted before they reach the model and are never passed to the audit log or a logger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Organisation, User
from apps.accounts.services import membership_grant, membership_revoke
from apps.core.audit import audit_record
from apps.core.names import keys_literal, keys_refill, name_index
from apps.core.validators import validate_clean_text

from .crypto import encrypt_notes
from .models import (
    NOTES_MAX_LENGTH,
    Channel,
    Contact,
    Office,
    Person,
    Referral,
    StaffPeriod,
    StaffRole,
    Topic,
    Vulnerability,
)
from .permissions import (
    can_create_office,
    can_edit_office,
    can_log_contact,
    can_manage_follow_up,
    can_manage_staff,
    can_read_person,
    can_read_restricted,
    can_update_referral_status,
    works_in,
)
from .selectors import office_staff

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


def _require_staff(user, office) -> None:
    if not works_in(user, office):
        raise Http404  # an office outside the user's scope is not acknowledged


# Offices ----------------------------------------------------------------------------------------------------


@transaction.atomic
def office_create(*, organisation, type: str, country=None, municipality: str, actor=None, **fields) -> Office:  # noqa: A002
    languages = fields.pop("languages", None)
    office = Office(organisation=organisation, type=type, country=country or organisation.country, **fields)
    office.municipality = municipality
    office.full_clean()
    office.save()
    if languages is not None:
        office.languages.set(languages)
    audit_record(actor=actor, action="offices.office.create", obj=office, summary=str(office))
    return office


OFFICE_FIELDS = ("type", "country", "municipality", "address", "hotline", "email", "is_public",
                 *(f"opening_hours_{code}" for code, _name in settings.LANGUAGES))  # fmt: skip


@transaction.atomic
def office_open(*, actor, name: str, languages=(), **fields) -> Office:
    """A new office from the portal (administrators): its organisation, then the office."""
    if not can_create_office(actor):
        raise PermissionDenied
    unknown = set(fields) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    if not name.strip():
        raise ValidationError({"name": _("Give the office's name.")})
    organisation = Organisation(name=name.strip(), type=Organisation.Type.MIGRATION_OFFICE, country=fields["country"])
    organisation.full_clean()
    organisation.save()
    return office_create(organisation=organisation, actor=actor, languages=list(languages), **fields)


@transaction.atomic
def office_update(*, office: Office, actor, name: str | None = None, languages=None, **changes) -> list[str]:
    """Edit an office (administrators, its managers); returns the names of the fields that changed."""
    if not can_edit_office(actor, office):
        raise Http404 if not works_in(actor, office) else PermissionDenied
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown office fields: {sorted(unknown)}")
    changed = [field for field, value in changes.items() if getattr(office, field) != value]
    for field in changed:
        setattr(office, field, changes[field])
    office.full_clean()
    office.save()
    if name is not None and name.strip() and name.strip() != office.organisation.name:
        office.organisation.name = name.strip()
        office.organisation.full_clean()
        office.organisation.save(update_fields=["name"])
        changed.append("name")
    if languages is not None and set(languages) != set(office.languages.all()):
        office.languages.set(languages)
        changed.append("languages")
    if changed:
        audit_record(actor=actor, action="offices.office.update", obj=office, extra={"fields": sorted(changed)})
    return changed


# Persons ----------------------------------------------------------------------------------------------------


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
    _require_staff(actor, office)
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
    locked = Person.objects.select_for_update().filter(pk=person.pk).values("merged_into_id").first()
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
    if columns:
        person.save(update_fields=[*columns, "birth_year", "search_name", "name_keys", "name_key_text", "updated_at"])
    if "languages" in changed:
        person.languages.set(changes["languages"])
        if not columns:
            Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
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


# Contacts ---------------------------------------------------------------------------------------------------


def _check_notes(notes: str) -> None:
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {
                "notes": _("Notes are limited to %(max)d characters; these have %(n)d.")
                % {"max": NOTES_MAX_LENGTH, "n": len(notes)}
            }
        )
    try:
        validate_clean_text(notes)
    except ValidationError as exc:
        raise ValidationError({"notes": exc.messages}) from None


def _check_follow_up(office: Office, due: dt.date | None, assignee) -> None:
    if due is None and assignee is None:
        return
    if due is None:
        raise ValidationError({"follow_up_due": _("Give the follow-up date.")})
    if assignee is None:
        raise ValidationError({"follow_up_assignee": _("Choose who follows up.")})
    _check_follow_up_date(due)
    _check_follow_up_assignee(office, assignee)


def _check_follow_up_date(due: dt.date) -> None:
    if due < timezone.localdate():
        raise ValidationError({"follow_up_due": _("The follow-up date cannot be in the past.")})


def _check_follow_up_assignee(office: Office, assignee) -> None:
    if not office_staff(office).filter(pk=assignee.pk).exists():
        raise ValidationError({"follow_up_assignee": _("The follow-up must be assigned to staff of this office.")})


def _contact_log(
    *,
    person: Person,
    actor,
    channel: str,
    topics: Iterable[str],
    summary: str,
    occurred_at: dt.datetime | None = None,
    notes: str = "",
    outcome: str = "",
    family_relationship: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_may_call_back: bool = False,
    follow_up_due: dt.date | None = None,
    follow_up_assignee=None,
) -> Contact:
    if not can_log_contact(actor, person):
        raise Http404
    if person.merged_into_id:
        raise ValidationError({"person": _("This record was merged into another one; log the contact there.")})
    topics = list(dict.fromkeys(topics or []))
    if not topics:
        raise ValidationError({"topics": _("Choose at least one topic.")})
    unknown = [t for t in topics if t not in Topic.values]
    if unknown:
        raise ValidationError({"topics": _("Unknown topic: %(topic)s") % {"topic": unknown[0]}})
    reporter = _family_reporter(
        channel,
        relationship=family_relationship,
        name=reporter_name,
        phone=reporter_phone,
        may_call_back=reporter_may_call_back,
    )
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("A contact cannot be in the future.")})
    _check_notes(notes)
    _check_follow_up(person.office, follow_up_due, follow_up_assignee)
    contact = Contact(
        office=person.office,
        person=person,
        channel=channel,
        **reporter,
        occurred_at=occurred_at,
        staff=actor,
        topics=topics,
        summary=summary.strip(),
        outcome=outcome.strip(),
        follow_up_due=follow_up_due,
        follow_up_assignee=follow_up_assignee,
    )
    # The related rows were checked above (the person is readable, the office is theirs, the staff member is the
    # actor, the assignee works in the office) and so were the rules of the table's constraints, with their own
    # messages; full_clean need not query for them again (the database still enforces the constraints).
    contact.full_clean(
        exclude=["notes_encrypted", "office", "person", "staff", "follow_up_assignee"], validate_constraints=False
    )
    contact.notes_encrypted = encrypt_notes(notes.strip())
    contact.save()
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, action="offices.contact.log", obj=contact, extra={"person": person.pk})
    return contact


# The service is atomic: a transaction of its own, or a savepoint inside a caller's, so that a refused contact
# leaves the caller's transaction usable. The quick-log, already one transaction that a refusal ends, runs the
# body directly: no savepoint and its release, two round trips fewer per contact.
contact_log = transaction.atomic(_contact_log)


def _family_reporter(channel: str, *, relationship: str, name: str, phone: str, may_call_back: bool) -> dict:
    """The family member who reported a contact: kept only for that channel; calling back needs their phone."""
    if channel != Channel.FAMILY:
        return {"family_relationship": "", "reporter_name": "", "reporter_phone": "", "reporter_may_call_back": False}
    if not relationship.strip():
        raise ValidationError({"family_relationship": _("Say how the family member is related to the person.")})
    if may_call_back and not phone.strip():
        raise ValidationError({"reporter_phone": _("Give the family member's phone number to call them back.")})
    return {
        "family_relationship": relationship.strip(),
        "reporter_name": name.strip(),
        "reporter_phone": phone.strip(),
        "reporter_may_call_back": bool(may_call_back),
    }


def _lock_follow_up(contact: Contact, actor) -> None:
    """Checks who may act on the follow-up and reloads its state under a row lock."""
    if not can_manage_follow_up(actor, contact):
        raise PermissionDenied
    Contact.objects.select_for_update().filter(pk=contact.pk).first()
    contact.refresh_from_db(fields=["follow_up_due", "follow_up_assignee", "follow_up_done_at"])
    if contact.follow_up_due is None:
        raise ValidationError(_("This contact has no follow-up."))


@transaction.atomic
def follow_up_complete(*, contact: Contact, actor) -> Contact:
    _lock_follow_up(contact, actor)
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = timezone.now()
        contact.save(update_fields=["follow_up_done_at"])
        audit_record(actor=actor, action="offices.follow_up.complete", obj=contact)
    return contact


@transaction.atomic
def follow_up_update(*, contact: Contact, actor, due: dt.date | None = None, assignee=None) -> list[str]:
    """Reschedule and/or reassign an open follow-up (within the office); returns the fields that changed."""
    _lock_follow_up(contact, actor)
    if contact.follow_up_done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    changed = []
    if due is not None and due != contact.follow_up_due:
        _check_follow_up_date(due)  # an overdue date may stay as it is, a new one cannot be in the past
        contact.follow_up_due = due
        changed.append("follow_up_due")
    if assignee is not None and assignee.pk != contact.follow_up_assignee_id:
        _check_follow_up_assignee(contact.office, assignee)
        contact.follow_up_assignee = assignee
        changed.append("follow_up_assignee")
    if changed:
        contact.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="offices.follow_up.update",
            obj=contact,
            extra={"fields": changed, "assignee": contact.follow_up_assignee_id},
        )
    return changed


# Referrals --------------------------------------------------------------------------------------------------

REFERRAL_TRANSITIONS = {
    Referral.Status.SENT: {Referral.Status.ACCEPTED, Referral.Status.DECLINED},
    Referral.Status.ACCEPTED: {Referral.Status.COMPLETED, Referral.Status.DECLINED},
    Referral.Status.COMPLETED: set(),
    Referral.Status.DECLINED: set(),
}


@transaction.atomic
def referral_create(
    *, person: Person, actor, organisation, reason: str, consent_given: bool, contact: Contact | None = None
) -> Referral:
    if not can_log_contact(actor, person):
        raise Http404
    if not consent_given:
        raise ValidationError({"consent_given": _("Record the person's consent before referring them.")})
    if organisation.pk == person.office.organisation_id:
        raise ValidationError({"organisation": _("Refer the person to another organisation than this office.")})
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if contact is not None and contact.person_id != person.pk:
        raise ValidationError({"contact": _("This contact is not about this person.")})
    referral = Referral(
        office=person.office,
        person=person,
        contact=contact,
        organisation=organisation,
        reason=reason.strip(),
        consent_given=True,
        consent_recorded_at=timezone.now(),
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(actor=actor, action="offices.referral.create", obj=referral, extra={"organisation": organisation.pk})
    return referral


@transaction.atomic
def referral_set_status(*, referral: Referral, actor, status: str) -> Referral:
    if not can_update_referral_status(actor, referral):
        raise PermissionDenied
    if status not in Referral.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == referral.status:
        return referral
    if status not in REFERRAL_TRANSITIONS[referral.status]:
        raise ValidationError(
            {
                "status": _("A referral that is %(current)s cannot become %(new)s.")
                % {"current": referral.get_status_display(), "new": Referral.Status(status).label}
            }
        )
    previous = referral.status
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="offices.referral.status", obj=referral, extra={"from": previous, "to": status})
    return referral


@transaction.atomic
def contact_quick_log(
    *, office: Office, actor, person: Person | None = None, new_person: dict | None = None, **contact
):
    """The quick-log form: a contact with an existing person, or with a person created in the same step."""
    _require_staff(actor, office)
    if person is None:
        if not new_person:
            raise ValidationError({"person": _("Choose a person or enter a new one.")})
        person = person_create(office=office, actor=actor, **new_person)
    elif person.office_id != office.pk:
        raise Http404
    else:
        person.office = office  # the office the view already holds: the checks need not read it again
    return _contact_log(person=person, actor=actor, **contact)


# Staff ------------------------------------------------------------------------------------------------------


def _require_staff_manager(actor, office: Office) -> None:
    """Managers of the office and administrators; other staff of the office 403, anyone else 404."""
    if can_manage_staff(actor, office):
        return
    if works_in(actor, office):
        raise PermissionDenied
    raise Http404


def _lock_office(office: Office) -> None:
    """Staff changes of one office run one at a time, so two managers cannot both leave."""
    Office.objects.select_for_update().filter(pk=office.pk).first()


def _check_staff_role(role: str) -> None:
    if role not in StaffRole.values:
        raise ValidationError({"role": _("Choose counsellor or manager.")})


def _office_membership(office: Office, membership: Membership) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, organisation_id=office.organisation_id, role__in=StaffRole.values)
        .first()
    )
    if membership is None:
        raise Http404
    if not membership.is_active:
        raise ValidationError(_("This membership has already ended."))
    return membership


def _keep_a_manager(office: Office, leaving: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=office.organisation_id, role=StaffRole.MANAGER, is_active=True, user__is_active=True
    ).exclude(pk=leaving.pk)
    if not others.exists():
        raise ValidationError(_("An office always keeps a manager: make someone else manager first."))


def _period_start(*, office: Office, user, role: str, actor) -> None:
    StaffPeriod.objects.create(office=office, user=user, role=role, started_at=timezone.now(), started_by=actor)


def _period_end(*, office: Office, membership: Membership, actor) -> None:
    now = timezone.now()
    ended = StaffPeriod.objects.filter(
        office=office, user_id=membership.user_id, role=membership.role, ended_at__isnull=True
    ).update(ended_at=now, ended_by=actor)
    if not ended:  # granted outside this page: its period started with the membership
        StaffPeriod.objects.create(
            office=office,
            user_id=membership.user_id,
            role=membership.role,
            started_at=membership.created_at,
            ended_at=now,
            ended_by=actor,
        )


@transaction.atomic
def office_staff_add(*, office: Office, actor, email: str, role: str) -> Membership:
    """Give an existing account a role in the office."""
    _require_staff_manager(actor, office)
    _check_staff_role(role)
    _lock_office(office)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": _("No active account uses this e-mail address.")})
    if Membership.objects.filter(
        user=user, organisation_id=office.organisation_id, role__in=StaffRole.values, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person already works in this office; change their role instead.")})
    membership = membership_grant(user=user, role=role, organisation=office.organisation, actor=actor)
    _period_start(office=office, user=user, role=role, actor=actor)
    audit_record(actor=actor, action="offices.staff.add", obj=office, extra={"user": user.pk, "role": role})
    return membership


@transaction.atomic
def office_staff_set_role(*, office: Office, membership: Membership, actor, role: str) -> Membership:
    """Counsellor ↔ manager: the old membership ends (kept in the history), the new one starts."""
    _require_staff_manager(actor, office)
    _check_staff_role(role)
    _lock_office(office)
    membership = _office_membership(office, membership)
    if role == membership.role:
        return membership
    if membership.role == StaffRole.MANAGER:
        _keep_a_manager(office, leaving=membership)
    if Membership.objects.filter(
        user_id=membership.user_id, organisation_id=office.organisation_id, role=role, is_active=True
    ).exists():
        raise ValidationError({"role": _("This person already holds this role in the office.")})
    membership_revoke(membership=membership, actor=actor)
    _period_end(office=office, membership=membership, actor=actor)
    new = membership_grant(user=membership.user, role=role, organisation=office.organisation, actor=actor)
    _period_start(office=office, user=membership.user, role=role, actor=actor)
    audit_record(
        actor=actor,
        action="offices.staff.role",
        obj=office,
        extra={"user": membership.user_id, "from": membership.role, "to": role},
    )
    return new


@transaction.atomic
def office_staff_end(*, office: Office, membership: Membership, actor) -> None:
    """End a membership; the office keeps at least one manager, the history keeps the period."""
    _require_staff_manager(actor, office)
    _lock_office(office)
    membership = _office_membership(office, membership)
    if membership.role == StaffRole.MANAGER:
        _keep_a_manager(office, leaving=membership)
    membership_revoke(membership=membership, actor=actor)
    _period_end(office=office, membership=membership, actor=actor)
    audit_record(
        actor=actor, action="offices.staff.end", obj=office, extra={"user": membership.user_id, "role": membership.role}
    )
