import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MEMBER])
def test_every_privileged_role_must_set_up_two_factor_authentication_first(client, settings, role):
    settings.PORTAL_REQUIRE_MFA = True
    client.force_login(user_with_role(role))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Setting it up asks for the password again first (allauth), then shows the TOTP page.
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_a_member_is_not_asked_for_two_factor_authentication(client, settings):
    settings.PORTAL_REQUIRE_MFA = True
    client.force_login(user_with_role(Role.MEMBER))
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_privileged_user_with_totp_uses_the_portal(client, settings):
    settings.PORTAL_REQUIRE_MFA = True
    user = user_with_role(Role.ANALYST)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_privileged_sessions_expire_after_inactivity_and_member_sessions_do_not(client, settings):
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 900
    client.force_login(user_with_role(Role.OFFICE_STAFF))
    client.get(reverse("core:dashboard"))
    assert client.session.get_expiry_age() == 900
    client.logout()
    client.force_login(user_with_role(Role.MEMBER))
    client.get(reverse("core:dashboard"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_production_requires_two_factor_authentication():
    from diaspora_portal.settings import base

    assert base.PORTAL_REQUIRE_MFA is True or base.env.bool("PORTAL_REQUIRE_MFA", default=True)
