from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_five_failed_sign_ins_lock_the_account_from_that_address_with_a_clear_page(client):
    UserFactory(email="locked@example.org")
    codes = [attempt(client, "locked@example.org", "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure locks
    blocked = attempt(client, "locked@example.org", "correct-horse-battery")
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "too many failed attempts" in html.lower()
    assert "/accounts/password/reset/" in html


def test_the_same_account_from_another_address_can_still_sign_in(client):
    UserFactory(email="elsewhere@example.org")
    for _ in range(5):
        attempt(client, "elsewhere@example.org", "wrong-password")
    ok = attempt(client, "elsewhere@example.org", "correct-horse-battery", ip="198.51.100.9")
    assert ok.status_code == 302


def test_the_lockout_page_speaks_french(client):
    UserFactory(email="fr@example.org")
    for _ in range(6):
        response = client.post("/fr" + LOGIN, {"login": "fr@example.org", "password": "x"}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()


def test_resetting_the_password_by_email_lifts_the_lockout(client):
    user = UserFactory(email="reset@example.org")
    for _ in range(5):
        attempt(client, "reset@example.org", "wrong-password")
    assert attempt(client, "reset@example.org", "correct-horse-battery").status_code == 429
    client.post("/accounts/password/reset/", {"email": "reset@example.org"}, REMOTE_ADDR="203.0.113.7")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    path = urlsplit(link).path
    form_page = client.get(path, follow=True, REMOTE_ADDR="203.0.113.7")
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    client.post(
        action,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
        REMOTE_ADDR="203.0.113.7",
    )
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    assert attempt(client, "reset@example.org", "a-brand-new-passphrase").status_code == 302
