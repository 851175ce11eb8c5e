"""Who may do what with offices' records. Plain functions, reused by views, the API, templates and admin."""

from __future__ import annotations

from apps.core.permissions import active_memberships, has_role, scoped_organisation_ids
from apps.core.roles import Role

STAFF_ROLES = (Role.OFFICE_STAFF, Role.OFFICE_MANAGER)


def staff_organisation_ids(user) -> set[int]:
    """Organisations (offices) in which the user is a counsellor or the manager."""
    return scoped_organisation_ids(user, *STAFF_ROLES)


def manager_organisation_ids(user) -> set[int]:
    return scoped_organisation_ids(user, Role.OFFICE_MANAGER)


def member_organisation_ids(user) -> set[int]:
    """Every organisation the user acts for (any role): the receiving side of referrals."""
    return {m.organisation_id for m in active_memberships(user) if m.organisation_id}


def is_office_staff(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def is_office_manager(user) -> bool:
    return has_role(user, Role.OFFICE_MANAGER)


def works_in(user, office) -> bool:
    return office.organisation_id in staff_organisation_ids(user)


def manages(user, office) -> bool:
    return office.organisation_id in manager_organisation_ids(user)


def can_read_restricted(user, person) -> bool:
    """Vulnerability flags and restricted notes: the assigned counsellor and the office manager only."""
    if not works_in(user, person.office):
        return False
    return person.counsellor_id == user.pk or manages(user, person.office)


def can_read_person(user, person) -> bool:
    """The person's office staff; a flagged record only its counsellor and the office manager."""
    if not works_in(user, person.office):
        return False
    return not person.vulnerabilities or can_read_restricted(user, person)


def can_log_contact(user, person) -> bool:
    return can_read_person(user, person)


def can_read_referral(user, referral) -> bool:
    return can_read_person(user, referral.person) or referral.organisation_id in member_organisation_ids(user)


def can_update_referral_status(user, referral) -> bool:
    """The receiving organisation's users update the status."""
    return referral.organisation_id in member_organisation_ids(user)


def can_see_dashboard(user, office) -> bool:
    return manages(user, office)


def can_manage_follow_up(user, contact) -> bool:
    """Mark done, reschedule or reassign: the assignee and the office manager."""
    return contact.follow_up_assignee_id == user.pk or manages(user, contact.office)


def can_manage_staff(user, office) -> bool:
    """The office's staff list: its managers and the platform's administrators (superusers included)."""
    return manages(user, office) or has_role(user, Role.ADMINISTRATOR)


def can_create_office(user) -> bool:
    """New offices: the platform's administrators."""
    return has_role(user, Role.ADMINISTRATOR)


def can_edit_office(user, office) -> bool:
    """An office's details (name, type, hours, languages, hotline): administrators, and its own managers."""
    return manages(user, office) or has_role(user, Role.ADMINISTRATOR)


def can_see_referrals(user) -> bool:
    """The referrals pages: office staff (sent) and users acting for an organisation (received)."""
    return bool(staff_organisation_ids(user) or member_organisation_ids(user))
