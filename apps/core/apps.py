from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import collation

        # Every list of countries, languages, sectors and organisations in a form sorts in the page's language.
        collation.install()
