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


@pytest.fixture
def production_limits(settings):
    """allauth's limits on failed sign-ins as production sets them (the test settings turn them off)."""
    from diaspora_portal.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


def assert_lockout_page(response, reset_path="/accounts/password/reset/", reason="too many failed attempts"):
    assert response.status_code == 429
    html = response.content.decode()
    assert reason in html.lower()
    assert reset_path in html


def test_every_attempt_during_a_lockout_shows_the_page_with_the_reason_and_the_unlock_path(client, production_limits):
    UserFactory(email="again@example.org")
    for _ in range(4):
        assert attempt(client, "again@example.org", "wrong-password").status_code == 200
    for password in ["wrong-password"] * 5 + ["correct-horse-battery"]:
        assert_lockout_page(attempt(client, "again@example.org", password))


def test_every_attempt_during_a_lockout_shows_the_page_in_arabic(client, production_limits):
    UserFactory(email="ar@example.org")
    for _ in range(8):
        client.post("/ar" + LOGIN, {"login": "ar@example.org", "password": "x"}, REMOTE_ADDR="203.0.113.8")
    for _ in range(3):
        response = client.post("/ar" + LOGIN, {"login": "ar@example.org", "password": "x"}, REMOTE_ADDR="203.0.113.8")
        assert_lockout_page(response, "/ar/accounts/password/reset/", reason="تسجيل الدخول محظور مؤقتًا")
        assert 'dir="rtl"' in response.content.decode()


def test_the_account_wide_limit_across_addresses_shows_the_same_page(client, production_limits):
    """allauth also limits failures per account from any address: the page explains that one too."""
    UserFactory(email="spread@example.org")
    for number in range(5):
        attempt(client, "spread@example.org", "wrong-password", ip=f"198.51.100.{number + 1}")
    assert_lockout_page(attempt(client, "spread@example.org", "wrong-password", ip="198.51.100.99"))
