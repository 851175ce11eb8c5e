"""Composing the e-mail of one delivery: Message-ID, headers, plain-text and HTML parts in its language."""

from __future__ import annotations

import functools
import re
import secrets
import time
from email.policy import Compat32
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from .rendering import placeholders_fill, recipient_values, sms_opt_out_text, unsubscribe_token
from .selectors import consent_purpose_for

# One word of printable ASCII that the standard library's header folding cannot split (no space, tab, "," or ";").
_UNSPLITTABLE = re.compile(r"[\x21-\x2b\x2d-\x3a\x3c-\x7e]+")


class _Compat32AsciiFast(Compat32):
    """Django's header policy, with a short path for what most headers are: one ASCII line short enough not to
    fold, or one unsplittable ASCII word too long for the first line (a ``List-Unsubscribe`` link), which
    ``Compat32`` moves whole to a continuation line. Both come out exactly as ``Compat32`` writes them (tested),
    without building a ``Header`` object for each."""

    def _fold(self, name, value, sanitize):
        if isinstance(value, str) and value.isascii() and value.isprintable():
            if len(name) + len(value) + 2 <= (self.max_line_length or 78):
                return f"{name}: {value}{self.linesep}"
            if self.max_line_length and _UNSPLITTABLE.fullmatch(value):
                return f"{name}: {self.linesep} {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_HEADER_POLICY = _Compat32AsciiFast()


class DeliveryEmail(EmailMultiAlternatives):
    """An outreach message. Composing it is most of the cost of sending one, so two steps of the standard library
    that scale with the body are skipped where they need not run: the MIME boundary is random (no scan of the
    body for a collision; 96 random bits) and short ASCII headers are written directly. ``message_bytes`` goes
    further for the common case."""

    boundary: str | None = None  # random per message unless set

    def message(self):
        msg = super().message()
        msg.policy = _HEADER_POLICY
        if msg.is_multipart():
            msg.set_boundary(self.boundary or f"=_{secrets.token_hex(12)}")
        return msg


_WIRE_POLICY = _HEADER_POLICY.clone(linesep="\r\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # how the standard library's generator splits a payload into lines
_NOT_DUPLICATED = {"from", "to", "cc", "reply-to"}  # headers Django's message() writes from its own fields


def _header(name: str, value) -> str:
    """One header line as Django's ``message()`` stores it and the generator folds it (same functions)."""
    name, value = forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)
    return _WIRE_POLICY._fold(name, value, False)


# A line must have more characters than this to pass RFC 5322's 998 octets (a character is at most 4 octets in
# UTF-8): shorter lines need no encoding to be measured.
_SAFE_LINE = RFC5322_EMAIL_LINE_LENGTH_LIMIT // 4


def _part(subtype: str, text: str) -> str | None:
    """A text part of the multipart/alternative; None when Django would choose quoted-printable (a long line)."""
    lines = text.splitlines()  # as Django measures them
    if max(map(len, lines), default=0) > _SAFE_LINE and any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in lines
    ):
        return None
    lines = _LINE_BREAK.split(text)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        f"Content-Transfer-Encoding: {'7bit' if text.isascii() else '8bit'}\r\n\r\n" + "\r\n".join(lines)
    )


def message_bytes(email: DeliveryEmail) -> bytes:
    """What ``email.message().as_bytes(linesep="\\r\\n")`` writes, byte for byte (boundary and Date aside: each
    random or current), without building the MIME objects, for what outreach sends: a plain-text body and one
    HTML alternative in UTF-8, no attachments, no Cc or Reply-To. Anything else goes the standard way."""
    html = email.alternatives[0] if len(email.alternatives) == 1 else None
    if (
        html is None
        or html.mimetype != "text/html"
        or email.attachments
        or email.cc
        or email.reply_to
        or not email.body
        or email.encoding not in (None, "utf-8")
        or settings.DEFAULT_CHARSET != "utf-8"
        or email.content_subtype != "plain"
    ):
        return email.message().as_bytes(linesep="\r\n")
    plain_part, html_part = _part("plain", email.body), _part("html", html.content)
    if plain_part is None or html_part is None:
        return email.message().as_bytes(linesep="\r\n")
    boundary = email.boundary or f"=_{secrets.token_hex(12)}"
    extra = email.extra_headers
    names = {key.lower() for key in extra}
    headers = [
        _header("Content-Type", f'multipart/{email.alternative_subtype}; boundary="{boundary}"'),
        "MIME-Version: 1.0\r\n",
        _header("Subject", email.subject),
        _header("From", extra.get("From", email.from_email)),
    ]
    if "To" in extra or email.to:
        headers.append(_header("To", extra["To"] if "To" in extra else ", ".join(str(v) for v in email.to)))
    if "date" not in names:
        headers.append(_date_header())
    if "message-id" not in names:
        return email.message().as_bytes(linesep="\r\n")  # outreach always sets its own
    headers.extend(_header(name, value) for name, value in extra.items() if name.lower() not in _NOT_DUPLICATED)
    return _wire(headers, boundary, plain_part, html_part)


def _wire(headers: list[str], boundary: str, plain_part: str, html_part: str) -> bytes:
    """The multipart/alternative message as the standard library's generator writes it."""
    text = (
        "".join(headers)
        + f"\r\n--{boundary}\r\n"
        + plain_part
        + f"\r\n--{boundary}\r\n"
        + html_part
        + f"\r\n--{boundary}--\r\n"
    )
    return text.encode("utf-8")


_date_now: list = [None, ""]  # (second, "Date: …" line) — formatdate gives the same line all through a second


def _date_header() -> str:
    now = int(time.time())
    if _date_now[0] != now:
        _date_now[:] = [now, _header("Date", formatdate(now, localtime=settings.EMAIL_USE_LOCALTIME))]
    return _date_now[1]


def message_id_for(delivery) -> str:
    """The same Message-ID every time this delivery is sent: a sink or provider can count it once."""
    return f"<delivery-{delivery.pk}.{delivery.campaign_id or 'n'}@{settings.OUTREACH_MESSAGE_ID_DOMAIN}>"


def _purpose(delivery) -> str:
    """The consent this delivery rests on: its campaign's, a consent-bound notification's, or none ("")."""
    if delivery.campaign_id:
        return consent_purpose_for(channel=delivery.channel, kind=delivery.campaign.kind)
    return delivery.consent_purpose or ""


def unsubscribe_url(delivery, cache: dict | None = None) -> str:
    """The delivery's one-click unsubscribe link. With a block's ``cache``, the link of the delivery composed last
    is kept: composing the same delivery twice (the block's first message, checked against the standard
    composition) gives the same link, though the token's timestamp may have moved to the next second."""
    purpose = _purpose(delivery)
    if not purpose or delivery.profile_id is None:
        return ""
    if cache is not None and cache.get("unsubscribe of") == (delivery.pk, delivery.language):
        return cache["unsubscribe url"]
    token = unsubscribe_token(profile_id=delivery.profile_id, purpose=purpose, delivery_id=delivery.pk)
    key = ("unsubscribe", delivery.language)
    if cache is None or key not in cache:
        with translation.override(delivery.language):
            prefix = settings.OUTREACH_BASE_URL.rstrip("/") + reverse("outreach:unsubscribe", args=["TOKEN"])
        if cache is None:
            return prefix.replace("TOKEN", token)
        cache[key] = prefix
    cache["unsubscribe of"], cache["unsubscribe url"] = (
        (delivery.pk, delivery.language),
        cache[key].replace("TOKEN", token),
    )
    return cache["unsubscribe url"]


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
    values = recipient_values(delivery.profile, message.language)  # the names as the message's language writes them
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


def _layout_fill(delivery, cache, *, unsubscribe: str, subject: str, text: str, body_html: str) -> tuple[str, str]:
    """The plain-text and HTML bodies: the language's layout with the content and the unsubscribe link."""
    plain_layout, html_layout = _layout(delivery, cache)
    plain = plain_layout.replace(_UNSUB, unsubscribe).replace(_TEXT, text)
    html = html_layout.replace(_UNSUB, escape(unsubscribe)).replace(_HTML, body_html)
    html = html.replace("<title></title>", f"<title>{escape(subject)}</title>", 1)
    return plain, html


def campaign_sender(delivery) -> str:
    return f"{delivery.campaign.sender_name} <{_from_address()}>"


def _campaign_prepared(delivery, messages: dict, cache: dict) -> tuple[str, str, str, str, str]:
    """What a campaign message of this language has in common for every recipient, prepared once per block: the
    subject and text with their placeholders, the HTML body already escaped and in paragraphs (placeholders
    kept), the From line, and the language the message is written in (the default one when this has none)."""
    key = ("prepared", delivery.campaign_id, delivery.language)
    if key not in cache:
        message = messages.get(delivery.language) or messages[delivery.campaign.default_language]
        cache[key] = (message.subject, message.body, linebreaks(escape(message.body)),
                      _header("From", campaign_sender(delivery)), message.language)  # fmt: skip
    return cache[key]


def _subject_header(subject: str, cache: dict) -> str:
    """The encoded Subject line, once per distinct subject in a block (names repeat: "News for Mohamed")."""
    key = ("subject", subject)
    line = cache.get(key)
    if line is None:
        line = cache[key] = _header("Subject", subject)
    return line


def campaign_message_bytes(delivery, messages: dict, cache: dict, boundary: str | None = None) -> bytes | None:
    """A campaign delivery's message on the wire, byte for byte what ``build_email`` then ``message_bytes`` (so
    Django's ``message()``) write, composed from what ``_campaign_prepared`` keeps per block: per recipient only
    the placeholders, the unsubscribe link, the Message-ID, To and Date are filled, and the headers that vary
    encoded. None when the standard way is needed (a name with a line break, a line too long for 8bit)."""
    subject_template, text_template, html_template, from_line, written_in = _campaign_prepared(
        delivery, messages, cache
    )
    values = recipient_values(delivery.profile, written_in)
    if any("\n" in value or "\r" in value for value in values.values()):
        return None  # it could change the paragraphs of the HTML body
    subject = placeholders_fill(subject_template, values)
    text = placeholders_fill(text_template, values)
    # linebreaks(escape(text)) with the values filled in afterwards, escaped: the same, as they hold no line break
    body_html = placeholders_fill(html_template, {name: escape(value) for name, value in values.items()})
    unsubscribe = unsubscribe_url(delivery, cache)
    plain, html = _layout_fill(delivery, cache, unsubscribe=unsubscribe, subject=subject, text=text,
                               body_html=body_html)  # fmt: skip
    plain_part, html_part = _part("plain", plain), _part("html", html)
    if plain_part is None or html_part is None:
        return None
    boundary = boundary or f"=_{secrets.token_hex(12)}"
    headers = [
        _header("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        "MIME-Version: 1.0\r\n",
        _subject_header(subject.replace("\n", " "), cache),
        from_line,
        _header("To", delivery.address),
        _date_header(),
        _header("Message-ID", message_id_for(delivery)),
    ]
    if unsubscribe:
        headers.append(_header("List-Unsubscribe", f"<{unsubscribe}>"))
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
    return _wire(headers, boundary, plain_part, html_part)


def build_email(delivery, messages: dict | None = None, cache: dict | None = None) -> EmailMultiAlternatives:
    """The message for ``delivery``: campaign text rendered now, or the notification stored on the row.

    ``cache`` (one dict per block) keeps the layout of each language so it is rendered once per block."""
    unsubscribe = unsubscribe_url(delivery, cache)
    if delivery.campaign_id:
        subject, text = campaign_content(delivery, messages)
        body_html = linebreaks(escape(text))
        sender = campaign_sender(delivery)
    else:
        subject, text, body_html = delivery.subject, delivery.body_text, delivery.body_html
        sender = settings.DEFAULT_FROM_EMAIL
    plain, html = _layout_fill(delivery, cache, unsubscribe=unsubscribe, subject=subject, text=text,
                               body_html=body_html)  # fmt: skip
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
    return _address_of(settings.DEFAULT_FROM_EMAIL)


@functools.lru_cache(maxsize=8)
def _address_of(value: str) -> str:
    """The address in a "Name <address>" setting, parsed once per value (parsing cost ~80 us per message)."""
    from email.utils import parseaddr

    return parseaddr(value)[1] or "no-reply@localhost"
