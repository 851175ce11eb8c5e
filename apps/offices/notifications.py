"""Messages the offices app sends, through the outreach delivery pipeline in each recipient's language.
Restricted notes never appear in a message."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.outreach.services import notification_language, notification_send


def send_follow_up_digest(*, user, contacts, day) -> None:
    """E-mail ``user`` the follow-ups due on or before ``day`` (one per user and day)."""
    with translation.override(notification_language(user)):
        url = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + reverse("offices:follow-ups")
    notification_send(
        user=user,
        kind="offices_follow_up_digest",
        template="offices/email/follow_up_digest",
        context={"contacts": contacts, "day": day, "url": url},
        idempotency_key=f"offices:digest:{day.isoformat()}:{user.pk}",
    )
