"""Contacts and their follow-ups, and the quick-log that may create the client in the same step.

Restricted notes are encrypted before they reach the model and are never passed to the audit log or a logger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.inserts import insert_new
from apps.core.validators import validate_clean_text

from ..crypto import encrypt_notes
from ..models import (
    NOTES_MAX_LENGTH,
    Channel,
    Contact,
    Office,
    Person,
    Topic,
)
from ..permissions import (
    can_log_contact,
    can_manage_follow_up,
)
from ..selectors import office_staff
from .common import require_staff
from .persons import person_create, person_touch


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
    insert_new(contact)
    person_touch(person.pk)
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


@transaction.atomic
def contact_quick_log(
    *, office: Office, actor, person: Person | None = None, new_person: dict | None = None, **contact
):
    """The quick-log form: a contact with an existing person, or with a person created in the same step."""
    require_staff(actor, office)
    if person is None:
        if not new_person:
            raise ValidationError({"person": _("Choose a person or enter a new one.")})
        person = person_create(office=office, actor=actor, **new_person)
    elif person.office_id != office.pk:
        raise Http404
    else:
        person.office = office  # the office the view already holds: the checks need not read it again
    return _contact_log(person=person, actor=actor, **contact)
