from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_notes_key(app_configs=None, **kwargs):
    """Production refuses to start without the key that encrypts restricted notes."""
    from . import crypto

    if crypto.configured_keys():
        try:
            crypto.fernet()
        except Exception:  # noqa: BLE001 - any failure means the key cannot be used
            return [checks.Error(f"{crypto.ENV_VARIABLE} is malformed", id="offices.E002")]
        return []
    if crypto.dev_key_allowed():
        return []
    return [
        checks.Error(
            f"the environment variable {crypto.ENV_VARIABLE} is required and is not set",
            hint="Generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
            id="offices.E001",
        )
    ]


class OfficesConfig(AppConfig):
    name = "apps.offices"
    label = "offices"
    verbose_name = _("Migration offices")

    def ready(self):
        from apps.core.navigation import NavItem, register
        from apps.core.pdf_batches import pdf_batch_kind_register
        from apps.core.roles import SCOPED_ROLES, Role
        from apps.skills.services import data_export_section_register

        from .pdf_batches import REFERRAL_LETTERS
        from .selectors import contacts_concerning_member

        checks.register(check_notes_key, checks.Tags.security, deploy=False)
        data_export_section_register("contacts", contacts_concerning_member)
        pdf_batch_kind_register("offices.referral-letters", REFERRAL_LETTERS)
        staff = frozenset({Role.OFFICE_STAFF, Role.OFFICE_MANAGER})
        register(NavItem(_("Log a contact"), "offices:quick-log", roles=staff, order=40))
        register(NavItem(_("Clients"), "offices:person-list", roles=staff, order=41))
        register(NavItem(_("My follow-ups"), "offices:follow-ups", roles=staff, order=42))
        register(NavItem(_("Office dashboard"), "offices:dashboard", roles=frozenset({Role.OFFICE_MANAGER}), order=43))
        register(NavItem(_("Referrals"), "offices:referral-list", roles=frozenset(SCOPED_ROLES), order=44))
        register(
            NavItem(
                _("Offices"),
                "offices:office-manage",
                roles=frozenset({Role.OFFICE_MANAGER, Role.ADMINISTRATOR}),
                order=45,
            )
        )
        register(NavItem(_("Find an office"), "offices:finder", public=True, order=90))
