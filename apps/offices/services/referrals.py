"""Referrals to partner organisations, with the person's consent, and their status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ..models import (
    Contact,
    Person,
    Referral,
)
from ..permissions import (
    can_log_contact,
    can_update_referral_status,
)

REFERRAL_TRANSITIONS: dict[str, set[str]] = {
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
