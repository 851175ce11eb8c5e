"""Who may see reports. Reports are aggregates only; no role reaches a personal record through them."""

from __future__ import annotations

from apps.core.permissions import has_role
from apps.core.roles import Role

# Roles that see every report of the portal. Office managers will see their own office's reports once the
# offices app exists (a report then declares its scope); until then they, like every other role, get 403.
REPORT_ROLES = (Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_view_reports(user) -> bool:
    return has_role(user, *REPORT_ROLES)


def can_view_report(user, report) -> bool:
    return can_view_reports(user)


def can_export_report(user, report) -> bool:
    return can_view_report(user, report)
