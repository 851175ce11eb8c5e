"""The signed-in user's language follows them: pages open in the language remembered on the account."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from apps.core.permissions import user_roles
from apps.core.roles import Role


class UserLanguageMiddleware:
    # Paths outside the translated URL patterns; they never redirect.
    untranslated_prefixes = ("/api/", "/healthz", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect_to_preferred_language(request)
        if redirect is not None:
            return redirect
        return self.get_response(request)

    def _redirect_to_preferred_language(self, request):
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        preferred = user.preferred_language
        if not preferred or preferred == get_language() or preferred not in dict(settings.LANGUAGES):
            return None
        if request.path.startswith(self.untranslated_prefixes):
            return None
        target = translate_url(request.get_full_path(), preferred)
        if target == request.get_full_path():
            return None
        return HttpResponseRedirect(target)


class PrivilegedAccountMiddleware:
    """Accounts that can see other people's data (every role but diaspora member):

    - must have TOTP two-factor authentication (allauth MFA) before using the portal, when
      ``PORTAL_REQUIRE_MFA`` is on (always in production); until then every page sends them to set it up;
    - are signed out after ``PRIVILEGED_SESSION_IDLE_SECONDS`` without activity (a sliding expiry).
    """

    allowed_prefixes = ("/static/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_privileged(user):
            request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
            if settings.PORTAL_REQUIRE_MFA and not self._allowed_without_mfa(request):
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(user):
                    return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _allowed_without_mfa(self, request) -> bool:
        path = request.path
        if path.startswith(self.allowed_prefixes):
            return True
        # The pages needed to set up two-factor authentication or to leave.
        open_paths = {
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("mfa_activate_totp"),
            reverse("mfa_index"),
        }
        return path in open_paths or "/accounts/2fa/" in path


def is_privileged(user) -> bool:
    return bool(user_roles(user) - {Role.MEMBER})
