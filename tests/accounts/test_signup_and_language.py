import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from apps.core.permissions import user_roles
from apps.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "mariam@example.org",
    "full_name": "Mariam Traoré",
    "preferred_language": "fr",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def test_signup_sends_a_verification_email_and_makes_a_diaspora_member(client):
    response = client.post("/fr/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="mariam@example.org")
    assert user.full_name == "Mariam Traoré"
    assert user.preferred_language == "fr"
    assert user_roles(user) == {Role.MEMBER}
    assert len(mail.outbox) == 1
    assert re.search(r"/fr/accounts/confirm-email/\S+", mail.outbox[0].body)


def test_signup_with_a_used_email_answers_like_success_without_revealing_the_account(client):
    UserFactory(email="taken@example.org")
    fresh = client.post("/fr/accounts/signup/", {**SIGNUP, "email": "new-person@example.org"})
    client.logout()
    taken = client.post("/fr/accounts/signup/", {**SIGNUP, "email": "taken@example.org"})
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_an_invalid_signup_keeps_what_was_typed_and_says_what_is_wrong_in_french(client):
    response = client.post("/fr/accounts/signup/", {**SIGNUP, "password2": "something-else-entirely"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="mariam@example.org"' in html
    assert 'value="Mariam Traoré"' in html
    assert "mot de passe" in html.lower()
    assert not User.objects.filter(email="mariam@example.org").exists()


def test_bidi_control_characters_in_a_name_are_refused(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "full_name": "Mariam\u202eTraoré"})
    assert response.status_code == 200
    assert "invisible" in response.content.decode()


def test_switching_language_is_remembered_on_the_account(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)
    response = client.post(reverse("set-language"), {"language": "ar", "next": "/fr/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/ar/dashboard/"
    user.refresh_from_db()
    assert user.preferred_language == "ar"


def test_a_signed_in_user_is_taken_to_pages_in_their_language(client):
    user = UserFactory(preferred_language="ar")
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/ar/dashboard/"
    assert client.get("/ar/dashboard/").status_code == 200


def test_language_switch_refuses_an_offsite_next_url(client):
    response = client.post(reverse("set-language"), {"language": "fr", "next": "https://evil.example.com/"})
    assert response.status_code == 302 and response["Location"] == "/fr/"


def test_login_takes_the_user_to_their_language(client):
    UserFactory(email="lang@example.org", preferred_language="ar")
    response = client.post("/accounts/login/", {"login": "lang@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/")
