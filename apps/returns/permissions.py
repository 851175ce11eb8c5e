"""Who may do what in the return information desk. Reused by views, the API, templates and the admin.

| action                                             | roles                                        |
|----------------------------------------------------|----------------------------------------------|
| read published sheets, funding opportunities, events | everyone, signed in or not                 |
| write sheets, funding opportunities, events; attendance | content editor                           |
| register for an event, cancel, evaluate            | diaspora member                              |
| network partner directory, vacancies (read)        | office staff, office manager, content editor |
| write vacancies                                    | office staff, office manager                 |
| write network partners                             | office manager, administrator                |
| return plans                                       | office staff and managers of the plan's desk |
| a plan's client record and counselling sessions    | staff of the plan's desk who may read the person (offices rules) |
| hand out sheets during a contact                   | office staff and managers who may read the person |
| labour matching (vacancy → profiles and plans)     | office staff and managers                    |
"""

from __future__ import annotations

from apps.core.permissions import has_role, scoped_organisation_ids
from apps.core.roles import OFFICE_ROLES, Role

from .models import Event, EventRegistration, FundingOpportunity, InfoSheet, ReturnPlan

EDITOR_ROLES = (Role.CONTENT_EDITOR,)
DIRECTORY_ROLES = (Role.OFFICE_STAFF, Role.OFFICE_MANAGER, Role.CONTENT_EDITOR)
PARTNER_EDITOR_ROLES = (Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def can_edit_content(user) -> bool:
    return has_role(user, *EDITOR_ROLES)


def can_view_info_sheet(user, sheet: InfoSheet) -> bool:
    return sheet.status == InfoSheet.Status.PUBLISHED or can_edit_content(user)


def can_view_funding(user, opportunity: FundingOpportunity) -> bool:
    return opportunity.status == FundingOpportunity.Status.PUBLISHED or can_edit_content(user)


def can_view_event(user, event: Event) -> bool:
    return event.status != Event.Status.DRAFT or can_edit_content(user)


def can_register_for_events(user) -> bool:
    return has_role(user, Role.MEMBER)


def can_evaluate(user, registration: EventRegistration) -> bool:
    return registration.user_id == getattr(user, "pk", None) and registration.attended is True


def can_view_directory(user) -> bool:
    return has_role(user, *DIRECTORY_ROLES)


def can_edit_vacancies(user) -> bool:
    return has_role(user, *OFFICE_ROLES)


def can_edit_partners(user) -> bool:
    return has_role(user, *PARTNER_EDITOR_ROLES)


def plan_desk_ids(user) -> set[int]:
    """The desks (office organisations) whose return plans the user follows."""
    return scoped_organisation_ids(user, *OFFICE_ROLES)


def can_use_return_plans(user) -> bool:
    return bool(plan_desk_ids(user))


def can_manage_plan(user, plan: ReturnPlan) -> bool:
    return plan.desk_id in plan_desk_ids(user)


def can_hand_out_sheets(user) -> bool:
    return has_role(user, *OFFICE_ROLES)


def can_match_vacancies(user) -> bool:
    return has_role(user, *OFFICE_ROLES)
