from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.client_address import client_address
from apps.core.navigation import url_in_language


class AccountAdapter(DefaultAccountAdapter):
    # A new diaspora member goes on to register their skills (the skills bank's wizard).
    signup_redirect_url_name = "skills:wizard"

    def get_signup_redirect_url(self, request):
        return url_in_language(
            reverse(self.signup_redirect_url_name), getattr(request.user, "preferred_language", "en")
        )

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        return url_in_language(url, language) if language else url

    def get_client_ip(self, request):
        """allauth's rate limits count per client address by the portal's one rule (trusted proxies)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request, **credentials):
        """allauth's own limit on failed sign-ins answers with the lockout page, like django-axes does.

        Without this, the attempt after a lockout got allauth's one-line form error instead of the page that
        says why and how to get back in; the page is now shown for every attempt while either limit holds.
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            request.axes_locked_out = True  # AxesMiddleware renders AXES_LOCKOUT_CALLABLE
            request.axes_credentials = credentials
            raise
