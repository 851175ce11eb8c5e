"""Composing a message's bytes directly must write exactly what Django and the standard library write."""

from __future__ import annotations

import re

import pytest

from apps.outreach.mail import DeliveryEmail, message_bytes

UNSUBSCRIBE = "<http://localhost:8000/ar/outreach/unsubscribe/" + "x" * 120 + "/>"


def _email(subject: str, body: str, html: str, sender: str = "Ministère <no-reply@example.org>", date: bool = True):
    headers = {"Message-ID": "<delivery-1.2@portal.localhost>", "List-Unsubscribe": UNSUBSCRIBE,
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
    if date:
        headers["Date"] = "Mon, 23 Nov 2026 13:00:00 -0000"
    email = DeliveryEmail(subject=subject, body=body, from_email=sender, to=["a@example.org"], headers=headers)
    email.attach_alternative(html, "text/html")
    email.boundary = "=_0123456789abcdef01234567"
    return email


@pytest.mark.parametrize(
    ("subject", "body", "html"),
    [
        ("News for Awa", "Hello Awa Diop,\n\nThe portal has news.\n", "<p>Hello Awa Diop,</p>\n<p>News.</p>"),
        ("Nouvelles pour Aïcha", "Bonjour Aïcha N'Diaye,\r\n\r\nLe portail.", "<p>Bonjour Aïcha</p>"),
        ("أخبار إلى عائشة " * 5, "مرحبا عائشة،\n\nلدى البوابة أخبار لك.\n", "<p dir='rtl'>مرحبا</p>\n"),
        ("x" * 200, "a line\rwith a lone carriage return\n.leading dot\n", "<p>x</p>"),
        ("Subject", "no final line break", "<p>no final line break</p>"),
        ("Long line", "é" * 2000, "<p>é</p>"),  # quoted-printable: composed the standard way
    ],
)
def test_direct_composition_writes_the_same_bytes_as_django(subject, body, html):
    email = _email(subject, body, html)
    standard = email.message().as_bytes(linesep="\r\n")
    if subject != "Long line":  # composed directly: the standard way is not taken
        email.message = None
    assert message_bytes(email) == standard


def test_direct_composition_with_an_ascii_sender_and_the_current_date():
    email = _email("News", "Hello\n", "<p>Hello</p>", sender="Benchmark <no-reply@localhost>", date=False)
    date = re.compile(rb"^Date: [^\r]*\r\n", re.MULTILINE)
    direct, standard = message_bytes(email), email.message().as_bytes(linesep="\r\n")
    assert date.search(direct)
    assert date.sub(b"", direct) == date.sub(b"", standard)


def test_a_message_outreach_does_not_send_is_composed_the_standard_way():
    email = _email("News", "Hello\n", "<p>Hello</p>")
    email.cc = ["c@example.org"]
    assert message_bytes(email) == email.message().as_bytes(linesep="\r\n")
    assert b"Cc: c@example.org" in message_bytes(email)
