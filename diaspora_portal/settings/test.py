"""Test settings: real PostgreSQL and Redis, in-memory mail, fast password hashing."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, env, file_storage

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_RATE_LIMITS = False
STORAGES = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run gets its own key space in Redis, so runs (and a `make run` beside them) never see each
# other's tasks or cache entries. Workers started by tests inherit TEST_RUN_PREFIX from the environment.
TEST_RUN_PREFIX = os.environ.setdefault("TEST_RUN_PREFIX", f"test-{os.getpid()}")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
        "KEY_PREFIX": TEST_RUN_PREFIX,
    }
}
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{TEST_RUN_PREFIX}:"}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{TEST_RUN_PREFIX}:"}
CELERY_REDBEAT_KEY_PREFIX = f"{TEST_RUN_PREFIX}:redbeat"
CELERY_TASK_ALWAYS_EAGER = False
HEALTHZ_CELERY_TIMEOUT = 3.0  # a worker on a loaded test machine may take more than a second to answer
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tests of the two-factor requirement turn it on with the settings fixture; the others sign in directly.
PORTAL_REQUIRE_MFA = False
# Two test runs against one server need two test databases: TEST_DATABASE_NAME names the second.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=f"test_{DATABASES['default']['NAME']}")}  # noqa: F405
# Every test client comes from 127.0.0.1: the per-address limits would trip across unrelated tests. The tests
# of the limits turn them on with the settings fixture.
RATELIMIT_ENABLED = False
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "100000/min",
        "api_token": "100000/min",
    },  # noqa: F405
}
# The outreach tests post Postmark's tracking events.
OUTREACH_EMAIL_PROVIDER = "postmark"
# Templates used only by tests (a letter for the PDF batch tests).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
