"""Composing the e-mail of one delivery: Message-ID, headers, plain-text and HTML parts in its language."""

from __future__ import annotations

import secrets
from email.policy import Compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from .rendering import placeholders_fill, recipient_values, sms_opt_out_text, unsubscribe_token
from .selectors import consent_purpose_for


class _Compat32AsciiFast(Compat32):
    """Django's header policy, with a short path for what most headers are: one ASCII line short enough not to
    fold. Those come out exactly as ``Compat32`` writes them, without building a ``Header`` object for each."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= (self.max_line_length or 78)
            and "\n" not in value
            and "\r" not in value
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_HEADER_POLICY = _Compat32AsciiFast()


class DeliveryEmail(EmailMultiAlternatives):
    """An outreach message. Composing it is most of the cost of sending one, so two steps of the standard library
    that scale with the body are skipped where they need not run: the MIME boundary is random (no scan of the
    body for a collision; 96 random bits) and short ASCII headers are written directly."""

    def message(self):
        msg = super().message()
        msg.policy = _HEADER_POLICY
        if msg.is_multipart():
            msg.set_boundary(f"=_{secrets.token_hex(12)}")
        return msg


def message_id_for(delivery) -> str:
    """The same Message-ID every time this delivery is sent: a sink or provider can count it once."""
    return f"<delivery-{delivery.pk}.{delivery.campaign_id or 'n'}@{settings.OUTREACH_MESSAGE_ID_DOMAIN}>"


def _purpose(delivery) -> str:
    """The consent this delivery rests on: its campaign's, a consent-bound notification's, or none ("")."""
    if delivery.campaign_id:
        return consent_purpose_for(channel=delivery.channel, kind=delivery.campaign.kind)
    return delivery.consent_purpose or ""


def unsubscribe_url(delivery, cache: dict | None = None) -> str:
    purpose = _purpose(delivery)
    if not purpose or delivery.profile_id is None:
        return ""
    token = unsubscribe_token(profile_id=delivery.profile_id, purpose=purpose, delivery_id=delivery.pk)
    key = ("unsubscribe", delivery.language)
    if cache is None or key not in cache:
        with translation.override(delivery.language):
            prefix = settings.OUTREACH_BASE_URL.rstrip("/") + reverse("outreach:unsubscribe", args=["TOKEN"])
        if cache is None:
            return prefix.replace("TOKEN", token)
        cache[key] = prefix
    return cache[key].replace("TOKEN", token)


def _reason(delivery) -> str:
    purpose = _purpose(delivery)
    if not purpose:
        return _("You receive this message because of your account on the %(portal)s.") % {
            "portal": settings.PORTAL_NAME
        }
    if purpose == "expert_contact":
        return _("You receive this message because you agreed to be contacted for expert missions.")
    return _("You receive this message because you subscribed to newsletters by e-mail.")


def campaign_content(delivery, messages: dict) -> tuple[str, str]:
    """Subject and plain-text body of a campaign delivery, placeholders filled, in the delivery's language."""
    message = messages.get(delivery.language) or messages[delivery.campaign.default_language]
    values = recipient_values(delivery.profile)
    return placeholders_fill(message.subject, values), placeholders_fill(message.body, values)


# Markers put in the layout once per language and block, then replaced per recipient (values escaped as needed).
_TEXT, _HTML, _UNSUB = "\x00text\x00", "\x00html\x00", "\x00unsubscribe\x00"


def _layout(delivery, cache: dict | None) -> tuple[str, str]:
    """The plain-text and HTML layouts of the delivery's language and campaign, with markers for the content."""
    purpose = _purpose(delivery)
    key = ("layout", delivery.language, delivery.campaign_id, purpose, bool(purpose and delivery.profile_id))
    if cache is not None and key in cache:
        return cache[key]
    with translation.override(delivery.language):
        context = {
            "subject": "",
            "text": _TEXT,
            "body_html": _HTML,
            "portal_name": settings.PORTAL_NAME,
            "reason": _reason(delivery),
            "unsubscribe_url": _UNSUB if key[4] else "",
            "language": delivery.language,
            "rtl": translation.get_language_bidi(),
        }
        layout = (
            render_to_string("outreach/email/message.txt", context),
            render_to_string("outreach/email/message.html", context),
        )
    if cache is not None:
        cache[key] = layout
    return layout


def build_email(delivery, messages: dict | None = None, cache: dict | None = None) -> EmailMultiAlternatives:
    """The message for ``delivery``: campaign text rendered now, or the notification stored on the row.

    ``cache`` (one dict per block) keeps the layout of each language so it is rendered once per block."""
    unsubscribe = unsubscribe_url(delivery, cache)
    if delivery.campaign_id:
        subject, text = campaign_content(delivery, messages)
        body_html = linebreaks(escape(text))
        sender = f"{delivery.campaign.sender_name} <{_from_address()}>"
    else:
        subject, text, body_html = delivery.subject, delivery.body_text, delivery.body_html
        sender = settings.DEFAULT_FROM_EMAIL
    plain_layout, html_layout = _layout(delivery, cache)
    plain = plain_layout.replace(_UNSUB, unsubscribe).replace(_TEXT, text)
    html = html_layout.replace(_UNSUB, escape(unsubscribe)).replace(_HTML, body_html)
    html = html.replace("<title></title>", f"<title>{escape(subject)}</title>", 1)
    headers = {"Message-ID": message_id_for(delivery)}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = DeliveryEmail(
        subject=subject.replace("\n", " "), body=plain, from_email=sender, to=[delivery.address], headers=headers
    )
    email.attach_alternative(html, "text/html")
    email.metadata = {"delivery_id": str(delivery.pk)}  # read by anymail backends and returned in webhooks
    return email


def build_sms(delivery, messages: dict) -> str:
    with translation.override(delivery.language):
        _subject, text = campaign_content(delivery, messages)
        return f"{text}\n{sms_opt_out_text()}"


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@localhost"
