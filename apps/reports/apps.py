from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register

        from . import definitions  # noqa: F401 - registers the reports
        from .permissions import ANY_REPORT_ROLES

        register(NavItem(_("Reports"), "reports:dashboard", roles=frozenset(ANY_REPORT_ROLES), order=80))
