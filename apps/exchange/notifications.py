"""Who is told what about exchange requests, in each recipient's language.

Until the outreach delivery pipeline exists, messages go out through Django's ``send_mail``; this module is the
one place to switch over. Services call these functions from ``transaction.on_commit``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Decision, ExchangeRequest

logger = logging.getLogger(__name__)


def _site_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")


def _send(user, template: str, context: dict) -> None:
    """Render ``template`` (subject and body) in ``user``'s language and send it."""
    if not user.email or not user.is_active or user.erased_at:
        return
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        request = context["request"]
        context = {
            **context,
            "recipient": user,
            "url": _site_url() + reverse("exchange:request-detail", args=[request.pk]),
        }
        subject = " ".join(render_to_string(f"exchange/email/{template}_subject.txt", context).split())
        body = render_to_string(f"exchange/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001 - a failed message must not undo a committed decision
        logger.exception("could not send %s about exchange request %s to user %s", template, request.pk, user.pk)


def notify_next_deciders(*, request_id: int, reminder: bool = False) -> int:
    """Tell the people whose turn it is that the request waits for them (or remind them)."""
    from .selectors import next_deciders

    request = ExchangeRequest.objects.select_related("requesting_country", "host_country").get(pk=request_id)
    recipients = next_deciders(request)
    for user in recipients:
        _send(user, "reminder" if reminder else "your_turn", {"request": request})
    return len(recipients)


def notify_requester(*, request_id: int, decision_id: int) -> bool:
    """Tell the requester (the focal point who drafted the request) about a decision taken by someone else."""
    decision = Decision.objects.select_related("request__created_by").get(pk=decision_id, request_id=request_id)
    requester = decision.request.created_by
    if decision.actor_id == requester.pk:
        return False
    _send(requester, "decision", {"request": decision.request, "decision": decision})
    return True
