"""E-mails of the return information desk, each rendered in its recipient's language and sent through the
outreach delivery pipeline (one delivery row each, queued after the transaction commits)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.outreach.services import notification_language, notification_send
from apps.skills.models import ConsentPurpose


def _absolute(path: str) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000").rstrip("/") + path


def _url(user, name: str, *args) -> str:
    """The address of ``name`` in ``user``'s language."""
    with translation.override(notification_language(user)):
        return _absolute(reverse(name, args=args))


def _send(*, user, template: str, context: dict, idempotency_key: str | None = None, consent_purpose: str = "") -> None:
    notification_send(
        user=user,
        kind=f"returns_{template}",
        template=f"returns/email/{template}",
        context=context,
        idempotency_key=idempotency_key,
        consent_purpose=consent_purpose,
    )


def send_stale_sheet_reminder(*, user, sheets, week: str = "") -> None:
    url = _url(user, "returns:editor-sheet-list") + "?stale=1"
    _send(
        user=user,
        template="stale_sheets",
        context={"sheets": sheets, "count": len(sheets), "url": url},
        idempotency_key=f"returns:stale-sheets:{week}:{user.pk}" if week else None,
    )


def send_funding_alert(*, user, opportunity) -> None:
    _send(
        user=user,
        template="funding_alert",
        context={"opportunity": opportunity, "url": _url(user, "returns:funding-detail", opportunity.pk)},
        idempotency_key=f"returns:funding:{opportunity.pk}:{user.pk}",
        consent_purpose=ConsentPurpose.NEWSLETTER_EMAIL,  # alerts go to members who asked for news by e-mail
    )


def send_evaluation_request(*, registration) -> None:
    user = registration.user
    _send(
        user=user,
        template="evaluation_request",
        context={"event": registration.event, "url": _url(user, "returns:event-evaluate", registration.event_id)},
        idempotency_key=f"returns:evaluation:{registration.pk}",
    )
