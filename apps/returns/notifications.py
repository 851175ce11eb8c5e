"""E-mails of the return information desk, each rendered in its recipient's preferred language.

Sent with Django's ``send_mail`` for now; to move to the outreach delivery pipeline when it exists (DESIGN.md §3).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _absolute(path: str) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000").rstrip("/") + path


def _send(*, user, template: str, context: dict) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"returns/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"returns/email/{template}.txt", {**context, "user": user})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_stale_sheet_reminder(*, user, sheets) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        url = _absolute(reverse("returns:editor-sheet-list") + "?stale=1")
    _send(user=user, template="stale_sheets", context={"sheets": sheets, "count": len(sheets), "url": url})


def send_funding_alert(*, user, opportunity) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        url = _absolute(reverse("returns:funding-detail", args=[opportunity.pk]))
    _send(user=user, template="funding_alert", context={"opportunity": opportunity, "url": url})


def send_evaluation_request(*, registration) -> None:
    user = registration.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        url = _absolute(reverse("returns:event-evaluate", args=[registration.event_id]))
    _send(user=user, template="evaluation_request", context={"event": registration.event, "url": url})
