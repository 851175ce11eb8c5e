"""Personal access tokens for other systems: made, used, throttled and revoked here, every use audited.

A token reads ``dep_<prefix>_<secret>`` and is sent as ``Authorization: Bearer dep_…``. The prefix finds the row;
the whole token is compared with the stored SHA-256 hash in constant time. A read-only token is refused (403) on
any method but GET, HEAD and OPTIONS. Each call writes an ``api_token.use`` audit event and counts against the
token's own rate (``API_TOKEN_RATE``), whatever address it comes from; a call with a revoked or expired token of
ours writes an ``api_token.refused`` event.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from apps.core.audit import audit_record
from apps.core.permissions import user_roles
from apps.core.roles import Role

from .models import ApiToken, User

TOKEN_PREFIX = "dep"
MAX_DAYS = 365


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def can_have_api_tokens(user) -> bool:
    """Systems act for staff, focal points, analysts and the like: a role beyond diaspora member."""
    return bool(user_roles(user) - {Role.MEMBER})


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str, days: int, request=None) -> tuple[ApiToken, str]:
    """Make a token; returns it with its secret, which is stored nowhere and shown once."""
    if not can_have_api_tokens(user):
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the token a name that says which system uses it.")]
    if scope not in ApiToken.Scope.values:
        errors["scope"] = [_("Choose what the token may do.")]
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("A token lasts from 1 to %(max)d days.") % {"max": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    token, raw = api_token_issue(user=user, name=name, scope=scope, days=days)
    audit_record(
        actor=user, action="api_token.create", obj=token, summary=f"{token.scope}, {days} days", request=request
    )
    return token, raw


def api_token_issue(*, user: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """The row and its secret, without the checks and audit of api_token_create (for test fixtures)."""
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        key_hash=_hash(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request=None) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token.revoke", obj=token, request=request)


def api_token_find(raw: str) -> ApiToken | None:
    """The token a caller presented, if it is one of ours (whatever its state)."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(raw)):
        return None
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer dep_…``: the token's user, within the token's scope; every use audited."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This access token is not valid.")) from None
        token = api_token_find(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This access token is not valid."))
        now = timezone.now()
        refusal = self._refusal(token, now)
        audit_record(
            actor=token.user,
            action="api_token.refused" if refusal else "api_token.use",
            obj=token,
            summary=f"{request.method} {request.path}"[:500],
            request=request,
        )
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This access token may only read."))
        return token.user, token

    @staticmethod
    def _refusal(token: ApiToken, now) -> str:
        """Why a token of ours may not be used now ('' when it may)."""
        if not token.user.is_active:
            return _("This access token is not valid.")
        if token.revoked_at is not None:
            return _("This access token has been revoked.")
        if token.expires_at <= now:
            return _("This access token has expired.")
        return ""

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenThrottle(SimpleRateThrottle):
    """Calls with a token count against that token's rate (``api_token``), whatever address they come from."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (and the Authorize button of the interactive docs)."""

    target_class = ApiTokenAuthentication
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "dep_<prefix>_<secret>",
            "description": "A personal access token, made on the account page under API access tokens. "
            "Read-only tokens are refused (403) on POST, PUT, PATCH and DELETE.",
        }
