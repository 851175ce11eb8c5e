from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from apps.core.navigation import NavItem, register

        from .security import unlock_after_password_reset

        password_reset.connect(unlock_after_password_reset, dispatch_uid="accounts-unlock-after-reset")
        from apps.core.roles import Role

        _name_third_party_apps()
        register(NavItem(_("Dashboard"), "core:dashboard", order=0))
        register(NavItem(_("My account"), "accounts:profile", order=90))
        register(NavItem(_("Administration"), "admin:index", frozenset({Role.ADMINISTRATOR}), order=95))
        register(NavItem(_("API documentation"), "api-docs", order=96))


def _name_third_party_apps() -> None:
    """The sign-in apps' sections in the administration, named in our catalogs: allauth's Arabic catalog reads
    "MFA" as "Ministry of Foreign Affairs", allauth's own "Accounts" section would sit beside ours under the same
    name, django-axes has no name to translate, and allauth's authenticator model has no translatable name.

    Only the names shown are set (not the model's declared options), so no migration of those apps follows."""
    import contextlib

    from django.apps import apps

    names = {
        "account": _("Sign-in e-mail addresses"),
        "mfa": _("Two-step verification"),
        "axes": _("Sign-in lockouts"),
    }
    for label, name in names.items():
        with contextlib.suppress(LookupError):
            apps.get_app_config(label).verbose_name = name
    model_names = {("mfa", "authenticator"): (_("authenticator"), _("authenticators"))}
    for (app_label, model_name), (singular, plural) in model_names.items():
        with contextlib.suppress(LookupError):
            meta = apps.get_model(app_label, model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
