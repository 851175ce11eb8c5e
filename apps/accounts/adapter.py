from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_str

from apps.core.client_address import client_address
from apps.core.navigation import url_in_language


def portal_url(location: str, language: str) -> str:
    """``location`` (a path, or an absolute URL built from the request) as the page in ``language`` on the
    portal's configured address (not the host the request came through)."""
    bits = urlsplit(location)
    path = url_in_language(bits.path, language) + (f"?{bits.query}" if bits.query else "")
    return settings.PORTAL_BASE_URL.rstrip("/") + path


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

    # Account e-mails (confirmation, password reset, security notices, MFA): in the recipient's language, from
    # the portal's name, with links on the configured address, as text and branded HTML.

    def _recipient_language(self, email: str, context: dict) -> str:
        from apps.accounts.models import User

        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = User.objects.filter(email__iexact=email).only("preferred_language").first()
        return getattr(user, "preferred_language", None) or translation.get_language() or settings.LANGUAGE_CODE

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        language = self._recipient_language(email, context)
        with translation.override(language):
            context = {
                **context,
                "portal_name": force_str(settings.PORTAL_NAME),
                "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
            }
            for key in ("activate_url", "password_reset_url"):
                if context.get(key):
                    context[key] = portal_url(context[key], language)
            super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{force_str(settings.PORTAL_NAME)}] {force_str(subject)}"

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string(
                "account/email/branded.html",
                {**context, "subject": message.subject, "body": message.body},
            )
            message.attach_alternative(html, "text/html")
        return message
