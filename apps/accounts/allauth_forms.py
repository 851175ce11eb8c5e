"""allauth's forms in the portal's words. Apart from ``forms.py``, which allauth itself imports (our sign-up form
is its base class), so that importing allauth's forms here makes no import cycle."""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from django.utils.translation import gettext_lazy as _


class AddEmailForm(AllauthAddEmailForm):
    """Adding an address to one's account, labelled as the rest of the portal (allauth's catalogs say "Courriel"
    in French, and write "الالكتروني" without its hamza in Arabic)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs["placeholder"] = _("name@example.org")
