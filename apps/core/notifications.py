"""Notifications for the apps below outreach in the layers (skills, accounts).

Every e-mail the portal sends goes through outreach's delivery pipeline (DESIGN.md §3). Outreach sits above the
skills bank (its segments are made of profiles), so the skills bank cannot import it: it calls
:func:`notification_send` here, which outreach fills in when it starts (``OutreachConfig.ready``). Apps above
outreach (offices, returns, exchange) may call ``apps.outreach.services.notification_send`` directly; it is the
same function.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_sender: Callable | None = None


def notification_sender_register(send: Callable) -> None:
    global _sender
    _sender = send


def notification_send(**kwargs):
    """Send a transactional e-mail (see ``apps.outreach.services.notification_send`` for the arguments)."""
    if _sender is None:
        raise ImproperlyConfigured("no notification sender: the outreach app must be installed")
    return _sender(**kwargs)


def notification_language(user) -> str:
    """The language a notification to ``user`` is written in: their preferred one, or the portal's default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE
