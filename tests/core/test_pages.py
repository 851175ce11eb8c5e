import pytest
from django.urls import reverse

from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang", "direction", "text"),
    [
        ("/", "en", "ltr", "Skills bank"),
        ("/fr/", "fr", "ltr", "Banque de compétences"),
        ("/ar/", "ar", "rtl", "بنك المهارات"),
    ],
)
def test_home_page_speaks_each_language_in_its_direction(client, path, lang, direction, text):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html
    if direction == "rtl":
        assert "bootstrap.rtl.min.css" in html
    else:
        assert "bootstrap.min.css" in html and "bootstrap.rtl.min.css" not in html


def test_every_page_has_a_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html and "<nav" in html and "<header" in html


def test_dashboard_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_dashboard_card(client, role):
    user = user_with_role(role)
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-role="{role.value}"' in html
    others = [r for r in Role if r != role]
    assert not any(f'data-role="{other.value}"' in html for other in others)


def test_navigation_shows_administration_only_to_administrators(client):
    member = user_with_role(Role.MEMBER)
    client.force_login(member)
    assert "/admin/" not in client.get(reverse("core:dashboard")).content.decode()
    admin = user_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)
    assert "/admin/" in client.get(reverse("core:dashboard")).content.decode()


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/fr/does-not-exist/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
