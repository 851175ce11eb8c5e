"""Writes to accounts: roles and memberships, language preference."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.permissions import clear_permission_cache
from apps.core.roles import Role

from .models import Membership, Organisation, User


def membership_summary(membership: Membership) -> str:
    """What a membership event says in the audit log: the role and where, never the person (who is the subject)."""
    where = f" @ {membership.organisation}" if membership.organisation_id else ""
    return f"{membership.role}{where}"


@transaction.atomic
def membership_grant(*, user: User, role: str, organisation: Organisation | None = None, actor=None) -> Membership:
    """Give ``user`` the ``role`` (scoped to ``organisation`` where the role is scoped). Idempotent."""
    membership = Membership.objects.filter(user=user, role=role, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=user, role=role, organisation=organisation)
        membership.full_clean()
        membership.save()
        audit_record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            summary=membership_summary(membership),
            subject=membership.user,
        )
    elif not membership.is_active:
        Membership.objects.filter(pk=membership.pk).update(is_active=True)
        membership.is_active = True
        audit_record(
            actor=actor,
            action="membership.reactivate",
            obj=membership,
            summary=membership_summary(membership),
            subject=membership.user,
        )
    user.groups.add(Group.objects.get(name=role))
    clear_permission_cache(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor=None) -> None:
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    user = membership.user
    still_holds = Membership.objects.filter(user=user, role=membership.role, is_active=True).exists()
    if not still_holds:
        user.groups.remove(Group.objects.get(name=membership.role))
    clear_permission_cache(user)
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        summary=membership_summary(membership),
        subject=membership.user,
    )


def member_registered(*, user: User) -> None:
    """A self-registered person is a diaspora member."""
    membership_grant(user=user, role=Role.MEMBER, actor=user)


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("This language is not available.")})
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


def user_update_account(*, user: User, full_name: str, preferred_language: str) -> User:
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language"])
    return user
