from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "apps.returns"
    label = "returns"
    verbose_name = _("Returns")

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register
        from apps.core.roles import Role
        from apps.offices.services import person_merge_hook_register

        from .services.plans import return_plans_follow_merge

        person_merge_hook_register(return_plans_follow_merge)

        register(NavItem(_("Information"), "returns:info-sheet-list", order=40, public=True))
        register(NavItem(_("Funding"), "returns:funding-list", order=41, public=True))
        register(NavItem(_("Events"), "returns:event-list", order=42, public=True))
        register(NavItem(_("My events"), "returns:my-events", roles=frozenset({Role.MEMBER}), order=43))
        office = frozenset({Role.OFFICE_STAFF, Role.OFFICE_MANAGER, Role.CONTENT_EDITOR})
        register(NavItem(_("Network partners"), "returns:partner-directory", roles=office, order=44))
        register(NavItem(_("Vacancies"), "returns:vacancy-list", roles=office, order=45))
        register(
            NavItem(
                _("Return plans"),
                "returns:plan-pipeline",
                roles=frozenset({Role.OFFICE_STAFF, Role.OFFICE_MANAGER}),
                order=43,
            )
        )
        editor = frozenset({Role.CONTENT_EDITOR})
        register(NavItem(_("Sheets to edit"), "returns:editor-sheet-list", roles=editor, order=46))
        register(NavItem(_("Funding to edit"), "returns:editor-funding-list", roles=editor, order=47))
        register(NavItem(_("Events to edit"), "returns:editor-event-list", roles=editor, order=48))
