"""What the outreach services share: the manager check and the portal's languages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied

from ..permissions import can_manage_outreach

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _require_manager(actor) -> None:
    if not can_manage_outreach(actor):
        raise PermissionDenied
