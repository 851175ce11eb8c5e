"""A person signs up in French, confirms their e-mail, switches to Arabic and signs out."""

import re

import pytest
from django.core import mail

from apps.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_in_french_then_arabic_right_to_left_then_logout(live_server, page):
    page.goto(f"{live_server.url}/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="S'inscrire").first.click()

    page.get_by_label("Courriel").fill("awa.browser@example.org")
    page.get_by_label("Nom complet").fill("Awa Konaté")
    page.locator("#id_password1").fill("une-phrase-de-passe-longue")
    page.locator("#id_password2").fill("une-phrase-de-passe-longue")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/fr/accounts/confirm-email/"))

    user = User.objects.get(email="awa.browser@example.org")
    assert user.preferred_language == "fr"
    link = re.search(r"https?://\S+/fr/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(r"/fr/skills/me/wizard/"))
    assert page.get_by_test_id("signed-in-as").inner_text() == "Awa Konaté"

    page.get_by_test_id("lang-ar").click()
    page.wait_for_url(re.compile(r"/ar/skills/me/wizard/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    user.refresh_from_db()
    assert user.preferred_language == "ar"

    # Signing out first checks the device's offline queue (signout.js), then submits: wait for that navigation.
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name=re.compile("تسجيل الخروج")).count():
        page.get_by_role("button", name=re.compile("تسجيل الخروج")).first.click()
    assert page.get_by_role("link", name=re.compile("تسجيل الدخول")).count() >= 1
