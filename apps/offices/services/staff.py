"""An office's staff: added, their role changed, their period ended; an office keeps a manager."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_grant, membership_revoke
from apps.core.audit import audit_record

from ..models import (
    Office,
    StaffPeriod,
    StaffRole,
)
from ..permissions import (
    can_manage_staff,
    works_in,
)


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
    locked = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, organisation_id=office.organisation_id, role__in=StaffRole.values)
        .first()
    )
    if locked is None:
        raise Http404
    if not locked.is_active:
        raise ValidationError(_("This membership has already ended."))
    return locked


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
