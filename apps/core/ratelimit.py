"""A fixed-window rate limit per client address, kept in Redis (the Django cache), for public endpoints.

Sign-up, login and password reset are limited by django-allauth (ACCOUNT_RATE_LIMITS) and django-axes;
this decorator covers the other public endpoints (public search, unsubscribe links).
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api.errors import error_body
from .client_address import client_address


def hit(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one request; True while the caller is within ``limit`` requests per ``period`` seconds."""
    window = int(time.time() // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        return True


def ratelimit(*, scope: str, limit: int, period: int = 60, methods: tuple[str, ...] | None = None):
    """Answer 429 once a client address passes ``limit`` requests per ``period`` seconds on this view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if settings.RATELIMIT_ENABLED and (methods is None or request.method in methods):
                key = client_address(request) or "unknown"
                if not hit(scope=scope, key=key, limit=limit, period=period):
                    return too_many_requests(request, period)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request, retry_after: int):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            error_body("throttled", _("Too many requests. Please wait a moment and try again.")), status=429
        )
    else:
        response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response
