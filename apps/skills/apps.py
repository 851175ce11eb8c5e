from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "apps.skills"
    label = "skills"
    verbose_name = _("Skills bank")

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register
        from apps.core.roles import Role

        from . import import_tasks  # noqa: F401 - Celery autodiscovery only looks at tasks.py
        from .permissions import CURATE_ROLES, IMPORT_ROLES, SEARCH_ROLES

        member = frozenset({Role.MEMBER})
        register(NavItem(_("My skills profile"), "skills:profile", roles=member, order=20))
        register(NavItem(_("My data"), "skills:my-data", roles=member, order=21))
        register(NavItem(_("Skills bank search"), "skills:staff-search", frozenset(SEARCH_ROLES), order=22))
        register(NavItem(_("Import skills lists"), "skills:staff-imports", frozenset(IMPORT_ROLES), order=23))
        register(NavItem(_("Skills vocabulary"), "skills:staff-vocabulary", frozenset(CURATE_ROLES), order=24))
