"""Messages the offices app sends. Sending goes through Django's ``send_mail`` for now; this module is the one
place to switch to the outreach delivery pipeline once it exists. Restricted notes never appear in a message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_follow_up_digest(*, user, contacts, day) -> None:
    """E-mail ``user`` the follow-ups due on or before ``day``, in the user's language."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    context = {"user": user, "contacts": contacts, "day": day, "portal_url": getattr(settings, "PORTAL_URL", "")}
    with translation.override(language):
        subject = render_to_string("offices/email/follow_up_digest_subject.txt", context).strip()
        body = render_to_string("offices/email/follow_up_digest.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
