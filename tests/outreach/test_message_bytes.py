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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first_name", "last_name", "body"),
    [
        ("Awa", "Diop", "Hello {first_name} {last_name},\n\nThe portal has news.\n"),
        ("Aïcha", "N'Diaye & <Co>", "Bonjour {first_name} {last_name},\r\n\r\nLe portail.\n\n\nFin {full_name}"),
        ("عائشة", "ديوب", "مرحبا {first_name}،\n\nلدى البوابة أخبار لك.\nسطر {last_name}"),
        ("{last_name}", "Diop", "{first_name} {unknown} {x<y} <b>bold</b>\n.leading dot\n"),
        ("Awa", "Diop", "no placeholder, no final line break"),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_campaign_message_composed_per_block_is_byte_for_byte_the_standard_one(
    first_name, last_name, body, language, monkeypatch
):
    from django.core import signing

    from apps.outreach.mail import build_email, campaign_message_bytes
    from apps.outreach.models import CampaignMessage, Delivery
    from tests.factories.outreach import CampaignFactory, member

    campaign = CampaignFactory(messages=[])
    for code in ("en", "fr", "ar"):
        CampaignMessage.objects.create(campaign=campaign, language=code, subject=f"{code} {{first_name}} ?", body=body)
    layouts: dict = {}
    messages = {m.language: m for m in campaign.messages.all()}
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1xaBSl")  # both compositions sign alike
    for index in range(2):  # the second one reuses what the block prepared
        profile = member(language, first_name=first_name, last_name=f"{last_name}{index}")
        delivery = Delivery.objects.create(campaign=campaign, user=profile.user, profile=profile, channel="email",
                                           language=language, address=profile.user.email)  # fmt: skip
        email = build_email(delivery, messages, layouts)
        email.boundary = "=_0123456789abcdef01234567"
        standard = email.message().as_bytes(linesep="\r\n")
        direct = campaign_message_bytes(delivery, messages, layouts, "=_0123456789abcdef01234567")
        date = re.compile(rb"^Date: [^\r]*\r\n", re.MULTILINE)
        assert date.sub(b"", direct).decode() == date.sub(b"", standard).decode()
        assert b"List-Unsubscribe:" in direct and b"Date: " in direct


@pytest.mark.django_db
@pytest.mark.parametrize(("first_name", "body"), [("Awa\nDiop", "Hello {first_name}"), ("Awa", "é" * 2000)])
def test_a_campaign_message_that_needs_the_standard_composition_is_not_composed_directly(first_name, body):
    from apps.outreach.mail import campaign_message_bytes
    from apps.outreach.models import CampaignMessage, Delivery
    from tests.factories.outreach import CampaignFactory, member

    campaign = CampaignFactory(messages=[])
    CampaignMessage.objects.create(campaign=campaign, language="en", subject="News", body=body)
    profile = member("en", first_name=first_name)
    delivery = Delivery.objects.create(campaign=campaign, user=profile.user, profile=profile, channel="email",
                                       language="en", address=profile.user.email)  # fmt: skip
    assert campaign_message_bytes(delivery, {"en": campaign.messages.get()}, {}) is None


def test_the_short_paths_of_the_header_policy_write_what_compat32_writes():
    import random
    import string
    from email.policy import Compat32

    from apps.outreach.mail import _HEADER_POLICY

    standard, fast = Compat32(linesep="\r\n"), _HEADER_POLICY.clone(linesep="\r\n")
    rng = random.Random(18)
    alphabets = [string.ascii_letters + string.digits + "<>/:.-_=?&%~+@!*'()[]", string.printable, "ab ;,\t=?"]
    values = ["<https://portal.example.org/fr/outreach/unsubscribe/" + "x" * n + "/>" for n in range(0, 200, 7)]
    values += ["".join(rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(0, 300))) for _ in range(3000)]
    values += ["é" * 40, "=?utf-8?b?w6k=?=", "a" * 76, "a" * 77]
    for value in values:
        for name in ("List-Unsubscribe", "To", "X", "Message-ID", "A-Rather-Long-Header-Name-For-Folding"):
            try:
                expected = standard._fold(name, value, False)
            except Exception as exc:  # noqa: BLE001 - a value the standard refuses is refused alike
                with pytest.raises(type(exc)):
                    fast._fold(name, value, False)
                continue
            assert fast._fold(name, value, False) == expected, (name, value)


@pytest.mark.django_db
def test_a_long_line_that_stays_under_998_octets_is_composed_directly_and_one_over_is_not():
    from apps.outreach.mail import _part

    assert _part("plain", "ب" * 499) is not None  # 998 octets
    assert _part("plain", "short\n" + "ب" * 500) is None  # 1,000 octets: quoted-printable, the standard way
    assert _part("plain", "x" * 998 + "\r\n" + "y" * 998) is not None
    assert _part("plain", "x" * 999) is None
