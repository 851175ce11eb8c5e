"""Who may see reports. Reports are aggregates only; no role reaches a personal record through them."""

from __future__ import annotations

from apps.core.permissions import has_role, scoped_organisation_ids
from apps.core.roles import Role

# Roles that see every report of the portal, for every office and country.
REPORT_ROLES = (Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR)
# Roles that see only the reports declared ``office_scoped``, and only for their own offices.
OFFICE_REPORT_ROLES = (Role.OFFICE_MANAGER,)
# Everyone who may open the reports pages at all (the per-report check decides the rest).
ANY_REPORT_ROLES = REPORT_ROLES + OFFICE_REPORT_ROLES


def can_view_reports(user) -> bool:
    return has_role(user, *REPORT_ROLES)


def managed_office_ids(user) -> tuple[int, ...]:
    """The offices whose organisation the user manages (office manager memberships)."""
    from apps.offices.models import Office

    organisations = scoped_organisation_ids(user, *OFFICE_REPORT_ROLES)
    if not organisations or not has_role(user, *OFFICE_REPORT_ROLES):
        return ()
    return tuple(sorted(Office.objects.filter(organisation_id__in=organisations).values_list("id", flat=True)))


def office_scope(user, report) -> tuple[int, ...] | None:
    """The offices ``user`` sees in ``report``: None for every office (national roles), else their own offices."""
    if can_view_reports(user) or not report.office_scoped:
        return None
    return managed_office_ids(user)


def can_view_report(user, report) -> bool:
    if can_view_reports(user):
        return True
    return report.office_scoped and bool(managed_office_ids(user))


def can_export_report(user, report) -> bool:
    return can_view_report(user, report)
