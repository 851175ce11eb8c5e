"""The portal's roles (DESIGN.md §2). Each role is a Django group of the same name, created by a migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "diaspora_member", _("Diaspora member")
    OFFICE_STAFF = "office_staff", _("Office staff")
    OFFICE_MANAGER = "office_manager", _("Office manager")
    FOCAL_POINT = "focal_point", _("Institution focal point")
    APPROVER = "ministry_approver", _("Ministry approver")
    COORDINATOR = "programme_coordinator", _("Programme coordinator")
    OUTREACH_MANAGER = "outreach_manager", _("Outreach manager")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# The roles of a migration office's people (counsellors and their manager), as the apps' permissions name them.
OFFICE_ROLES = (Role.OFFICE_STAFF, Role.OFFICE_MANAGER)

# Roles whose rights are limited to the organisation (office, institution, ministry) of the membership.
SCOPED_ROLES = frozenset({Role.OFFICE_STAFF, Role.OFFICE_MANAGER, Role.FOCAL_POINT, Role.APPROVER})
