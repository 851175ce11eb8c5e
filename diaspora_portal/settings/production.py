"""Production settings. Every secret comes from the environment; nothing has a default."""

from .base import *  # noqa: F403
from .base import env, env_required, fernet_keys, host_list

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "the environment variable DJANGO_SECRET_KEY is too short: use at least 50 random characters"
    )
ALLOWED_HOSTS = env_required("DJANGO_ALLOWED_HOSTS", cast=host_list)
# The key of the contacts' restricted notes (apps/offices/crypto.py), checked here so that a missing or malformed
# one stops start-up with the same one line as the other variables.
OFFICES_NOTES_KEY = env_required("OFFICES_NOTES_KEY", cast=fernet_keys)
EMAIL_HOST = env_required("EMAIL_HOST")
PORTAL_BASE_URL = env_required("PORTAL_BASE_URL").rstrip("/")
if env.str("OUTREACH_EMAIL_PROVIDER", default=""):
    # A provider webhook without its shared secret would let anyone post bounces.
    ANYMAIL = {"WEBHOOK_SECRET": env_required("ANYMAIL_WEBHOOK_SECRET")}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
