"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from apps.core.languages import field_in_language

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def env_required(name: str, cast=str):
    """Read a required variable; a missing or malformed one stops start-up with a line naming it."""
    try:
        raw = env.str(name)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(f"the environment variable {name} is required and is not set") from None
    if not raw.strip():
        raise ImproperlyConfigured(f"the environment variable {name} is set but empty")
    try:
        return cast(raw)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"the environment variable {name} is malformed: {exc}") from None


def database_from_env(variable: str = "DATABASE_URL") -> dict:
    raw = env_required(variable)
    if not raw.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(f"the environment variable {variable} is malformed: expected postgres://…")
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a configuration error
        raise ImproperlyConfigured(f"the environment variable {variable} is malformed: {exc}") from None
    # A unix-socket directory may be given percent-encoded as the host: postgres://user@%2Fpath%2Fto%2Fdir/db
    config["HOST"] = unquote(config.get("HOST") or "")
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if env.bool("DATABASE_PGBOUNCER", default=False):
        # PgBouncer in transaction mode lends a server connection per transaction: a server-side cursor (which
        # .iterator() opens) would outlive it.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


def databases_from_env() -> dict:
    """The primary, and the read-only replica when DATABASE_REPLICA_URL names one (apps.core.db routes to it)."""
    databases = {"default": database_from_env()}
    if env.str("DATABASE_REPLICA_URL", default="").strip():
        replica = database_from_env("DATABASE_REPLICA_URL")
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


def networks_from_env(name: str) -> list[str]:
    """A comma-separated list of addresses or CIDR blocks; a malformed entry stops start-up with a line naming it."""
    from apps.core.client_address import parse_networks

    values = [value.strip() for value in env.str(name, default="").split(",") if value.strip()]
    try:
        return [str(network) for network in parse_networks(values)]
    except ValueError as exc:
        raise ImproperlyConfigured(f"the environment variable {name} is malformed: {exc}") from None


def host_list(raw: str) -> list[str]:
    """Comma-separated host names; a list with none in it (" , ") is refused."""
    hosts = [host.strip() for host in raw.split(",") if host.strip()]
    if not hosts:
        raise ValueError("no host name in it")
    return hosts


def fernet_keys(raw: str) -> str:
    """One or more Fernet keys separated by commas, the newest first; the message never repeats a key."""
    from cryptography.fernet import Fernet

    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ValueError("no key in it")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ValueError(
                f"key {position} is not a Fernet key (32 bytes in url-safe base64, 44 characters)"
            ) from None
    return ",".join(keys)


def redis_from_env() -> str:
    raw = env_required("REDIS_URL")
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("the environment variable REDIS_URL is malformed: expected redis://…")
    return raw


DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so translated fields show there
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the form renderer below
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.skills",
    "apps.offices",
    "apps.returns",
    "apps.exchange",
    "apps.outreach",
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "apps.accounts.middleware.PrivilegedAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "diaspora_portal.urls"
WSGI_APPLICATION = "diaspora_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
            ],
            # CLDR dates, numbers and lists, and bidi isolation, in every template (overrides Django's |date).
            "builtins": ["apps.core.templatetags.formatting"],
        },
    },
]
# Widgets render through the project's templates, so templates/django/forms/widgets/ can isolate the choices'
# labels (names of organisations, countries…) from the interface around them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = databases_from_env()
DATABASE_ROUTERS = ["apps.core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_from_env()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts before any password check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: e-mail is the login; sign-up verifies the address; no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "apps.accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"add_email": "apps.accounts.allauth_forms.AddEmailForm"}
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# django-axes: after 5 failed sign-ins for one account from one address, that pair is locked out for an hour
# (or until the password is reset, or an administrator runs `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "apps.accounts.security.axes_username"
AXES_LOCKOUT_CALLABLE = "apps.accounts.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "apps.core.client_address.client_address"
AXES_VERBOSE = False

# Two-factor authentication (TOTP) is required for every role but diaspora member, and their sessions
# expire after inactivity. Development settings may turn the requirement off with PORTAL_REQUIRE_MFA=false.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Diaspora Engagement Portal"
PORTAL_REQUIRE_MFA = env.bool("PORTAL_REQUIRE_MFA", default=True)
PRIVILEGED_SESSION_IDLE_SECONDS = env.int("PRIVILEGED_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}

# Languages: English, French, Arabic (right-to-left). URLs carry the language (/fr/…, /ar/…).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "ar")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
# Editors read "Title (French)" in their own language, not "Title [fr]".
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = field_in_language

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]


def file_storage() -> dict:
    """Where uploaded and generated files (CVs, attachments) live.

    With ``S3_BUCKET`` set, in an S3-compatible bucket (any S3 service, or MinIO on premises), so that a file
    written through one web or worker host is read through any other; without it, under ``MEDIA_ROOT`` on the
    local disk (development, or a single host). Either way files are never public: they are read through the
    portal's permission-checked, audited views.
    """
    bucket = env.str("S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = env.str("S3_ENDPOINT_URL", default="") or None
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("S3_PREFIX", default=""),
        # MinIO and most on-premises services want path-style addresses (http://host:9000/bucket/key).
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path" if endpoint else "auto"),
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own policy: private
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
    }
    if env.str("S3_SERVER_SIDE_ENCRYPTION", default=""):
        options["object_parameters"] = {"ServerSideEncryption": env.str("S3_SERVER_SIDE_ENCRYPTION")}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (CVs, attachments) live outside the web root and are served by permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Diaspora Engagement Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "outbox"))

# REST API: default deny, session + token auth, pagination, one error shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Other systems: personal access tokens, hashed, scoped, expiring (apps/accounts/api_tokens.py). First, so
        # that a missing or refused token is a 401 with a WWW-Authenticate: Bearer challenge.
        "apps.accounts.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["apps.accounts.api_tokens.ApiTokenThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Views that opt in with throttle_classes (public type-ahead) are limited per address.
    # Calls with an access token are limited per token.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/min"),
        "api_token": env.str("API_TOKEN_RATE", default="600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Diaspora Engagement Portal API",
    "DESCRIPTION": "REST API of the Diaspora Engagement Portal. Errors share one shape: "
    '{"error": {"code", "message", "fields"}}.\n\n'
    "**Access for other systems.** A user whose role the system acts for makes a personal access token on their "
    "account page (*API access tokens*): a name, a scope (*read only* or *read and write*) and a lifetime of 1 to "
    "365 days. The token is shown once; the portal keeps only its hash. Send it as a bearer token:\n\n"
    "    curl -H 'Authorization: Bearer dep_3f9a1c2b7d4e_…' https://portal.example.org/api/v1/vacancies/\n\n"
    "The token acts with its user's roles at the time of each call, within its scope. Every call is recorded in "
    "the audit log and counts against the token's own rate limit (`API_TOKEN_RATE`, 600 per minute by default; "
    "429 beyond). An expired, revoked or unknown token answers 401; a read-only token answers 403 to a write.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api.schema.error_responses_add",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ExchangeStateEnum": "apps.exchange.models.State",
        "ExchangeKindEnum": "apps.exchange.models.Kind",
        "SkillAcquisitionEnum": "apps.skills.models.ProfileSkill.Kind",
        "ExpertSelectionStatusEnum": "apps.exchange.models.ExpertSelection.Status",
        "ReferralStatusEnum": "apps.offices.models.Referral.Status",
        "InfoSheetKindEnum": "apps.returns.models.InfoSheet.Kind",
        "InfoSheetStatusEnum": "apps.returns.models.InfoSheet.Status",
        "FundingKindEnum": "apps.returns.models.FundingOpportunity.Kind",
        "FundingStatusEnum": "apps.returns.models.FundingOpportunity.Status",
        "EventKindEnum": "apps.returns.models.Event.Kind",
        "EventStatusEnum": "apps.returns.models.Event.Status",
        "EventRegistrationStatusEnum": "apps.returns.models.EventRegistration.Status",
        "ReturnPlanKindEnum": "apps.returns.models.ReturnPlan.Kind",
        "ContactChannelEnum": "apps.offices.models.Channel",
        "OutreachChannelEnum": "apps.outreach.models.Channel",
        # The portal's languages (preferred language, message languages, a participant's language…): one enum.
        "PortalLanguageEnum": LANGUAGES,
    },
}

# Celery: JSON only, tasks acknowledged after they run, re-queued if the worker dies.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}
# Beat may run on several hosts (for availability, or by mistake): RedBeat keeps the schedule in Redis and only the
# beat holding a Redis lock sends jobs; another takes over within CELERY_REDBEAT_LOCK_TIMEOUT of the leader's death.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = REDIS_URL
CELERY_REDBEAT_KEY_PREFIX = env.str("CELERY_REDBEAT_KEY_PREFIX", default="portal:redbeat")
CELERY_BEAT_MAX_LOOP_INTERVAL = env.int("CELERY_BEAT_MAX_LOOP_INTERVAL", default=5)
CELERY_REDBEAT_LOCK_TIMEOUT = env.int("CELERY_REDBEAT_LOCK_TIMEOUT", default=30)

# Content-Security-Policy (django-csp): scripts only from the portal itself, never inline; no framing.
# Inline styles stay allowed (server-rendered SVG charts and htmx indicators use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed: axes, allauth, the rate
# limits and the audit log take the client's address from it only for requests coming from one of them
# (apps/core/client_address.py). Empty: the connection's own address is the client's.
PORTAL_TRUSTED_PROXIES = networks_from_env("PORTAL_TRUSTED_PROXIES")

# Per-address limits on public endpoints (apps/core/ratelimit.py).
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)

# Health check: how long to wait for a Celery worker to answer.
HEALTHZ_CELERY_TIMEOUT = env.float("HEALTHZ_CELERY_TIMEOUT", default=1.0)
# PDFs (referral letters, request sheets, certificates): "weasyprint" in-process (default) or "chromium".
PDF_RENDERER = env.str("PDF_RENDERER", default="weasyprint")
if PDF_RENDERER not in ("weasyprint", "chromium"):
    raise ImproperlyConfigured("the environment variable PDF_RENDERER is malformed: expected weasyprint or chromium")

PORTAL_NAME = _("Diaspora Engagement Portal")

# Digits on Arabic pages, e-mails and exports (apps.core.formatting): "latn" writes 0-9, as the Maghreb partner
# states do on official forms; "arab" writes Arabic-Indic digits (٠-٩), as in the Mashreq.
PORTAL_ARABIC_DIGITS = env.str("PORTAL_ARABIC_DIGITS", default="latn")
if PORTAL_ARABIC_DIGITS not in ("latn", "arab"):
    raise ImproperlyConfigured(f"PORTAL_ARABIC_DIGITS must be 'latn' or 'arab', not {PORTAL_ARABIC_DIGITS!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO; its warnings (a resource refused) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The portal's public address, for links in e-mails sent by periodic tasks (no request there).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000")

# Skills bank: a staff search lists at most this many profiles (only those are ranked; the page says when more
# match). Bounds the database work of a search for a common word at national scale.
SKILLS_SEARCH_MAX_RESULTS = env.int("SKILLS_SEARCH_MAX_RESULTS", default=1000)
# How often an import's page asks for its progress while the worker runs (seconds).
SKILLS_IMPORT_PROGRESS_POLL_SECONDS = env.float("SKILLS_IMPORT_PROGRESS_POLL_SECONDS", default=2.0)

# Reports: every published count of 5 or more is rounded to the nearest multiple of this (1: no rounding), so that
# differencing two queries cannot reveal a count shown as "<5" (docs/reports.md).
REPORTS_ROUNDING_BASE = env.int("REPORTS_ROUNDING_BASE", default=5)

# Outreach
INSTALLED_APPS += ["anymail"]  # noqa: F405 - provider webhooks (delivered / bounced)
# Messages per second per channel, shared by every worker of the `outreach` queue.
OUTREACH_RATE_LIMITS = {
    "email": env.float("OUTREACH_EMAIL_RATE", default=50.0),
    "sms": env.float("OUTREACH_SMS_RATE", default=5.0),
}
OUTREACH_BLOCK_SIZE = env.int("OUTREACH_BLOCK_SIZE", default=500)
OUTREACH_MAX_RETRIES = env.int("OUTREACH_MAX_RETRIES", default=6)
# A worker renews its heartbeat this often while it sends; silent for OUTREACH_WORKER_DEAD_SECONDS, it is taken for
# dead and the sweep (every OUTREACH_RECOVER_SECONDS) gives its rows back to the queue. No single step of sending
# may block longer than OUTREACH_SEND_TIMEOUT, which stays below the dead threshold.
OUTREACH_HEARTBEAT_SECONDS = env.float("OUTREACH_HEARTBEAT_SECONDS", default=5.0)
OUTREACH_WORKER_DEAD_SECONDS = env.int("OUTREACH_WORKER_DEAD_SECONDS", default=30)
OUTREACH_RECOVER_SECONDS = env.float("OUTREACH_RECOVER_SECONDS", default=15.0)
OUTREACH_SEND_TIMEOUT = env.float("OUTREACH_SEND_TIMEOUT", default=20.0)
# Last resort for a claim with no known owner: given back to the queue after this many seconds.
OUTREACH_CLAIM_LEASE_SECONDS = env.int("OUTREACH_CLAIM_LEASE_SECONDS", default=300)
# Links in messages (unsubscribe) are absolute: the portal's public address.
OUTREACH_BASE_URL = env.str("OUTREACH_BASE_URL", default=PORTAL_BASE_URL)
OUTREACH_MESSAGE_ID_DOMAIN = env.str("OUTREACH_MESSAGE_ID_DOMAIN", default="portal.localhost")
OUTREACH_UNSUBSCRIBE_TOKEN_MAX_AGE = env.int("OUTREACH_UNSUBSCRIBE_TOKEN_MAX_AGE", default=180 * 24 * 3600)
OUTREACH_SMS_BACKEND = env.str("OUTREACH_SMS_BACKEND", default="apps.outreach.sms.ConsoleSmsBackend")
OUTREACH_SMS_HTTP_URL = env.str("OUTREACH_SMS_HTTP_URL", default="")
OUTREACH_SMS_HTTP_TOKEN = env.str("OUTREACH_SMS_HTTP_TOKEN", default="")
OUTREACH_SMS_SENDER = env.str("OUTREACH_SMS_SENDER", default="Portal")
OUTREACH_SMS_INBOUND_TOKEN = env.str("OUTREACH_SMS_INBOUND_TOKEN", default="")
# Gateways calling back (receipts, inbound SMS) call the portal's public address; Africa's Talking does not sign its
# callbacks, so the URLs registered there carry ?token=OUTREACH_SMS_WEBHOOK_TOKEN.
OUTREACH_SMS_WEBHOOK_BASE_URL = env.str("OUTREACH_SMS_WEBHOOK_BASE_URL", default=OUTREACH_BASE_URL)
OUTREACH_SMS_WEBHOOK_TOKEN = env.str("OUTREACH_SMS_WEBHOOK_TOKEN", default="")
# OUTREACH_SMS_BACKEND=apps.outreach.sms.twilio.TwilioSmsBackend
OUTREACH_TWILIO_ACCOUNT_SID = env.str("OUTREACH_TWILIO_ACCOUNT_SID", default="")
OUTREACH_TWILIO_AUTH_TOKEN = env.str("OUTREACH_TWILIO_AUTH_TOKEN", default="")
OUTREACH_TWILIO_API_URL = env.str("OUTREACH_TWILIO_API_URL", default="https://api.twilio.com")
# OUTREACH_SMS_BACKEND=apps.outreach.sms.africastalking.AfricasTalkingSmsBackend (sandbox: api.sandbox.africastalking.com)
OUTREACH_AFRICASTALKING_USERNAME = env.str("OUTREACH_AFRICASTALKING_USERNAME", default="")
OUTREACH_AFRICASTALKING_API_KEY = env.str("OUTREACH_AFRICASTALKING_API_KEY", default="")
OUTREACH_AFRICASTALKING_API_URL = env.str("OUTREACH_AFRICASTALKING_API_URL", default="https://api.africastalking.com")
# SMS segments per second each gateway takes from the portal (a Twilio long code: 1); unset: OUTREACH_SMS_RATE.
OUTREACH_SMS_GATEWAY_RATES = {
    "twilio": env.float("OUTREACH_TWILIO_RATE", default=1.0),
    "africastalking": env.float("OUTREACH_AFRICASTALKING_RATE", default=0.0),
}
# The price of one SMS segment, for the estimate shown before an SMS campaign is sent.
OUTREACH_SMS_SEGMENT_PRICE = env.str("OUTREACH_SMS_SEGMENT_PRICE", default="0.05")
OUTREACH_SMS_CURRENCY = env.str("OUTREACH_SMS_CURRENCY", default="USD")
ANYMAIL = {"WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None}
# The provider whose delivery/bounce webhook is mounted at /api/v1/outreach/anymail/<provider>/tracking/
# (brevo, mailgun, mailjet, postmark, sendgrid, sparkpost); empty: no webhook.
OUTREACH_EMAIL_PROVIDER = env.str("OUTREACH_EMAIL_PROVIDER", default="")
# Outreach mail may leave through its own backend/relay (bulk provider); unset, it uses EMAIL_BACKEND/HOST/PORT.
OUTREACH_EMAIL_BACKEND = env.str("OUTREACH_EMAIL_BACKEND", default="") or None
OUTREACH_EMAIL_HOST = env.str("OUTREACH_EMAIL_HOST", default="") or None
OUTREACH_EMAIL_PORT = env.int("OUTREACH_EMAIL_PORT", default=0) or None
# Every outreach task runs on its own queue (rate-limited sending never waits behind other work, nor delays it).
CELERY_TASK_ROUTES = {"outreach.*": {"queue": "outreach"}}
# A block's deliveries are claimed this many at a time (bounds what a killed worker leaves in flight).
OUTREACH_CLAIM_BATCH = env.int("OUTREACH_CLAIM_BATCH", default=50)

# Offline field intake (apps/offices/offline): how many items a device may queue, how old an item the server still
# takes (days since it was recorded on the device), after how many idle minutes the device wipes its queue, and how
# many items one sync request carries.
OFFLINE_MAX_ITEMS = env.int("OFFLINE_MAX_ITEMS", default=300)
OFFLINE_MAX_AGE_DAYS = env.int("OFFLINE_MAX_AGE_DAYS", default=14)
OFFLINE_IDLE_MINUTES = env.int("OFFLINE_IDLE_MINUTES", default=30)
OFFLINE_BATCH_MAX = env.int("OFFLINE_BATCH_MAX", default=50)
# Idempotency keys (Idempotency-Key header, offline sync) and their first answers are kept this many days; longer
# than OFFLINE_MAX_AGE_DAYS, so that a device replaying anything the server still accepts gets the first answer.
IDEMPOTENCY_KEEP_DAYS = env.int("IDEMPOTENCY_KEEP_DAYS", default=30)
