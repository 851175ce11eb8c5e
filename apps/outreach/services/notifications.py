"""Transactional e-mail for every app, through the same deliveries as campaigns."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize

from apps.core.notifications import notification_language
from apps.skills.models import CONSENT_FIELDS, ConsentPurpose, DiasporaProfile

from ..models import AddressHold, Channel, Delivery


def notification_send(
    *,
    user,
    kind: str,
    context: dict,
    idempotency_key: str | None = None,
    template: str | None = None,
    consent_purpose: str = "",
) -> Delivery | None:
    """Send a transactional e-mail to ``user`` through the delivery pipeline (queued after commit).

    The message is rendered in the user's language from ``<template>.subject.txt``, ``<template>.txt`` and, if
    it exists, ``<template>.html`` (otherwise the HTML part is the text with its line breaks); ``template``
    defaults to ``outreach/notifications/<kind>``, and each app keeps its own messages beside its templates.
    Newsletter consent does not apply; an erased or inactive account receives nothing (returns None). With
    ``idempotency_key``, a repeat sends nothing new. URLs in ``context`` should be made in the user's language
    (``notification_language(user)`` says which).

    With ``consent_purpose`` (a ``ConsentPurpose``) the message rests on that consent, as a campaign does: nothing
    is queued unless the member gives it now, the claim checks it again before sending, and the e-mail carries the
    signed one-click unsubscribe link and ``List-Unsubscribe`` headers for it."""
    if user.erased_at is not None or not user.is_active or not user.email:
        return None
    consent_column = CONSENT_FIELDS[ConsentPurpose(consent_purpose)] if consent_purpose else None
    fields = ["id", "erased_at", "first_name", *([consent_column] if consent_column else [])]
    profile = DiasporaProfile.objects.filter(user=user).only(*fields).first()
    if profile is not None and profile.erased_at is not None:
        return None
    if consent_column and (profile is None or not getattr(profile, consent_column)):
        return None
    if idempotency_key:
        existing = Delivery.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    language = notification_language(user)
    full_context = {"user": user, "profile": profile, "portal_name": settings.PORTAL_NAME, **context}
    base = template or f"outreach/notifications/{kind}"
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}.subject.txt", full_context).split())
        body_text = render_to_string(f"{base}.txt", full_context).strip()
        body_html: str
        try:
            body_html = render_to_string(f"{base}.html", full_context)
        except TemplateDoesNotExist:
            body_html = linebreaks(urlize(body_text, nofollow=True, autoescape=True))
    on_hold = AddressHold.objects.filter(address=user.email).exists()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                campaign=None,
                user=user,
                profile=profile,
                kind=kind,
                channel=Channel.EMAIL,
                language=language,
                address=user.email,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                idempotency_key=idempotency_key or None,
                consent_purpose=consent_purpose,
                state=Delivery.State.SKIPPED if on_hold else Delivery.State.PENDING,
                reason="address on hold" if on_hold else "",
            )
    except IntegrityError:
        return Delivery.objects.get(idempotency_key=idempotency_key)
    if not on_hold:
        from ..tasks import deliveries_send_task

        deliveries_send_task.delay_on_commit([delivery.pk], None)
    return delivery
