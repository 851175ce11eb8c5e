"""The administration names the sign-in sections in the administrator's language."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "mfa", "axes", "wrong"),
    [
        ("ar", "التحقق بخطوتين", "حظر تسجيل الدخول", "وزارة الخارجية"),
        ("fr", "Vérification en deux étapes", "Blocages de connexion", ">Axes<"),
    ],
)
def test_the_mfa_and_lockout_sections_are_named_in_the_admins_language(client, settings, language, mfa, axes, wrong):
    settings.PORTAL_REQUIRE_MFA = False
    admin = UserFactory(is_staff=True, is_superuser=True, preferred_language=language)
    client.force_login(admin)
    page = client.get("/admin/", follow=True).content.decode()
    assert mfa in page and axes in page
    assert wrong not in page and ">Axes<" not in page and ">MFA<" not in page
