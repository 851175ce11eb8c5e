from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "apps.exchange"
    label = "exchange"
    verbose_name = _("South-South exchange")

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register
        from apps.core.pdf_batches import pdf_batch_kind_register
        from apps.core.roles import Role

        from .pdf_batches import CERTIFICATES

        pdf_batch_kind_register("exchange.certificates", CERTIFICATES)

        everyone = frozenset({Role.FOCAL_POINT, Role.APPROVER, Role.COORDINATOR})
        register(NavItem(_("Waiting for me"), "exchange:request-waiting", roles=everyone, order=40))
        register(NavItem(_("Exchange requests"), "exchange:request-list", roles=everyone, order=41))
        register(NavItem(_("Exchange calendar"), "exchange:calendar", roles=everyone, order=42))
        # Every signed-in person: participants and experts take part whatever their role (or none).
        register(NavItem(_("My exchanges"), "exchange:my-exchanges", order=24))
        member = frozenset({Role.MEMBER})
        register(NavItem(_("Calls for experts"), "exchange:my-calls", roles=member, order=25))
        register(NavItem(_("Open calls that fit me"), "exchange:open-calls", roles=member, order=26))
        register(
            NavItem(_("New exchange request"), "exchange:request-create", roles=frozenset({Role.FOCAL_POINT}), order=43)
        )
