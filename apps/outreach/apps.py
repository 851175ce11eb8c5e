from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "apps.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from anymail.signals import tracking

        from apps.core.navigation import NavItem, register
        from apps.core.notifications import notification_sender_register
        from apps.core.roles import Role
        from apps.skills.services import data_export_section_register

        from .selectors import deliveries_for_member
        from .services import notification_send
        from .webhooks import anymail_tracking_received

        data_export_section_register("deliveries", deliveries_for_member)
        # The skills bank sends its reminders through the pipeline without importing outreach.
        notification_sender_register(notification_send)

        roles = frozenset({Role.OUTREACH_MANAGER})
        register(NavItem(_("Campaigns"), "outreach:campaign-list", roles=roles, order=60))
        register(NavItem(_("Segments"), "outreach:segment-list", roles=roles, order=61))
        # django-anymail reports provider events only through this signal; the receiver calls one service.
        tracking.connect(anymail_tracking_received, dispatch_uid="outreach-anymail-tracking")
