"""Who may do what in outreach. Segments and campaigns belong to outreach managers (and administrators)."""

from apps.core.permissions import has_role
from apps.core.roles import Role

MANAGER_ROLES = (Role.OUTREACH_MANAGER, Role.ADMINISTRATOR)


def can_manage_outreach(user) -> bool:
    return has_role(user, *MANAGER_ROLES)


def can_edit_campaign(user, campaign) -> bool:
    return can_manage_outreach(user) and campaign.state == campaign.State.DRAFT
