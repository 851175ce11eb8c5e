"""Account e-mails speak the recipient's language, come from the portal's name, link to its configured address."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.gov"


@pytest.mark.parametrize(
    ("language", "portal", "greeting"),
    [
        ("fr", "Portail d'engagement de la diaspora", "Bonjour de la part du Portail d'engagement de la diaspora"),
        ("ar", "بوابة إشراك الجاليات", "تحية من بوابة إشراك الجاليات"),
    ],
)
def test_a_password_reset_e_mail_is_branded_in_the_users_language_with_a_link_on_the_portal(
    client, settings, language, portal, greeting
):
    settings.PORTAL_BASE_URL = BASE
    UserFactory(email="reset@example.org", preferred_language=language)
    client.post("/accounts/password/reset/", {"email": "reset@example.org"})  # asked from an English page
    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{portal}]")
    assert greeting in message.body and "testserver" not in message.body
    link = re.search(r"https?://\S+/password/reset/key/\S+", message.body).group(0)
    assert link.startswith(f"{BASE}/{language}/")
    html, mimetype = message.alternatives[0]
    html = unescape(html)
    assert mimetype == "text/html"
    assert f'lang="{language}"' in html and portal in html and f'href="{link}"' in html
    assert f'<a dir="ltr" href="{link}"' in html, "the link reads left to right inside an Arabic message"
    assert client.get(urlsplit(link).path, follow=True).status_code == 200


def test_an_english_user_gets_the_e_mail_in_english_from_a_french_page(client, settings):
    settings.PORTAL_BASE_URL = BASE
    UserFactory(email="en@example.org", preferred_language="en")
    client.post("/fr/accounts/password/reset/", {"email": "en@example.org"})
    message = mail.outbox[-1]
    assert message.subject.startswith("[Diaspora Engagement Portal]")
    assert "Hello from the Diaspora Engagement Portal" in message.body
    assert f"{BASE}/accounts/password/reset/key/" in message.body
