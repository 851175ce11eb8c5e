from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

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
