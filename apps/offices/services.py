"""Every write of the offices app. Each function is atomic, checks permission and state, validates and audits.

Restricted notes are encrypted before they reach the model and are never passed to the audit log or a logger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.validators import validate_clean_text

from .crypto import encrypt_notes
from .models import NOTES_MAX_LENGTH, Channel, Contact, Office, Person, Referral, Topic, Vulnerability
from .names import person_search_name
from .permissions import can_log_contact, can_read_person, can_update_referral_status, manages, works_in
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
    if person.birth_date and not person.birth_year:
        person.birth_year = person.birth_date.year
    _check_profile_consent(person.profile)
    person.search_name = person_search_name(person.name_latin, person.name_arabic)
    if not (person.name_latin.strip() or person.name_arabic.strip()):
        raise ValidationError({"name_latin": _("Give a name in Latin or Arabic script.")})
    person.full_clean()
    person.save()
    if languages is not None:
        person.languages.set(languages)
    audit_record(actor=actor, action="offices.person.create", obj=person)
    return person


@transaction.atomic
def person_update(*, person: Person, actor, vulnerabilities: Iterable[str] | None = None, **fields) -> Person:
    if not can_read_person(actor, person):
        raise Http404
    for name, value in fields.items():
        if name not in PERSON_FIELDS + ("counsellor", "languages"):
            raise TypeError(f"unknown person field: {name}")
        if name != "languages":
            setattr(person, name, value)
    if vulnerabilities is not None:
        person.vulnerabilities = _check_vulnerabilities(vulnerabilities)
    if person.counsellor_id and not works_in(person.counsellor, person.office):
        raise ValidationError({"counsellor": _("The counsellor must work in this office.")})
    _check_profile_consent(person.profile)
    person.search_name = person_search_name(person.name_latin, person.name_arabic)
    person.full_clean()
    person.save()
    if "languages" in fields:
        person.languages.set(fields["languages"])
    audit_record(actor=actor, action="offices.person.update", obj=person, extra={"fields": sorted(fields)})
    return person


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
    for name in ("name_latin", "name_arabic", "sex", "birth_year", "birth_date", "phone", "email", "profile"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    for name in ("nationality_id", "residence_country_id", "counsellor_id"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.vulnerabilities = list(dict.fromkeys([*keep.vulnerabilities, *duplicate.vulnerabilities]))
    keep.search_name = person_search_name(keep.name_latin, keep.name_arabic)
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
    if due < timezone.localdate():
        raise ValidationError({"follow_up_due": _("The follow-up date cannot be in the past.")})
    if not office_staff(office).filter(pk=assignee.pk).exists():
        raise ValidationError({"follow_up_assignee": _("The follow-up must be assigned to staff of this office.")})


@transaction.atomic
def contact_log(
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
    if channel == Channel.FAMILY and not family_relationship.strip():
        raise ValidationError({"family_relationship": _("Say how the family member is related to the person.")})
    if channel != Channel.FAMILY:
        family_relationship = ""
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("A contact cannot be in the future.")})
    _check_notes(notes)
    _check_follow_up(person.office, follow_up_due, follow_up_assignee)
    contact = Contact(
        office=person.office,
        person=person,
        channel=channel,
        family_relationship=family_relationship.strip(),
        occurred_at=occurred_at,
        staff=actor,
        topics=topics,
        summary=summary.strip(),
        outcome=outcome.strip(),
        follow_up_due=follow_up_due,
        follow_up_assignee=follow_up_assignee,
    )
    contact.full_clean(exclude=["notes_encrypted"])
    contact.notes_encrypted = encrypt_notes(notes.strip())
    contact.save()
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, action="offices.contact.log", obj=contact, extra={"person": person.pk})
    return contact


@transaction.atomic
def follow_up_complete(*, contact: Contact, actor) -> Contact:
    if not (contact.follow_up_assignee_id == actor.pk or manages(actor, contact.office)):
        raise PermissionDenied
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = timezone.now()
        contact.save(update_fields=["follow_up_done_at"])
        audit_record(actor=actor, action="offices.follow_up.complete", obj=contact)
    return contact


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
    return contact_log(person=person, actor=actor, **contact)
