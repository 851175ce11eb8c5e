"""The offline intake's sync API (/api/v1/offline/): the device's session, its picker cache and the sync.

Session authentication only: the device key is handed to a signed-in session alone, and the pages that use this API
are the portal's own (CSRF token in X-CSRFToken). Office staff only (403 for other roles); every answer is
Cache-Control: no-store.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.audit import audit_record
from apps.core.permissions import HasRole

from ..permissions import STAFF_ROLES
from ..selectors import offices_of
from . import selectors, services
from .keys import device_key

NO_STORE = {"Cache-Control": "no-store"}


class OfflineView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [HasRole(*STAFF_ROLES)]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # answers (messages, review links) in the user's language, whatever the device's browser says
        translation.activate(request.user.preferred_language or settings.LANGUAGE_CODE)


class SessionQuerySerializer(serializers.Serializer):
    device = serializers.UUIDField()


class OfflineSessionView(OfflineView):
    """What a device needs to work offline, for a signed-in session: the user, their offices, the key that encrypts
    this device's queue (the same for this user on this device at every sign-in, until the password changes), the
    limits, and a CSRF token."""

    @extend_schema(
        parameters=[OpenApiParameter("device", OpenApiTypes.UUID, required=True, description="the device's id")],
        responses=inline_serializer("OfflineSession", {"device_key": serializers.CharField()}),
    )
    def get(self, request):
        query = SessionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        device = query.validated_data["device"]
        key, key_id = device_key(user=request.user, device=device)
        audit_record(actor=request.user, action="offline.session", object_type="offices.offline", request=request,
                     extra={"key_id": key_id, "device": str(device)})  # fmt: skip
        body = {
            "user": {"id": request.user.pk, "name": str(request.user)},
            "language": translation.get_language(),
            "offices": [{"id": office.pk, "name": office.name} for office in offices_of(request.user)],
            "device_key": key,
            "key_id": key_id,
            "max_items": settings.OFFLINE_MAX_ITEMS,
            "max_age_days": settings.OFFLINE_MAX_AGE_DAYS,
            "idle_minutes": settings.OFFLINE_IDLE_MINUTES,
            "batch_max": settings.OFFLINE_BATCH_MAX,
            "csrf_token": get_token(request),
        }
        return Response(body, headers=NO_STORE)


class OfflinePersonsView(OfflineView):
    """The office's recent clients for the device's picker (identity only); 404 for an office not the user's."""

    @extend_schema(
        parameters=[OpenApiParameter("office", int, required=True)],
        responses=inline_serializer("OfflinePersons", {"office": serializers.IntegerField()}),
    )
    def get(self, request):
        office = selectors.offline_office_get(user=request.user, pk=request.query_params.get("office", ""))
        rows = selectors.offline_persons(user=request.user, office=office, request=request)
        return Response({"office": office.pk, "results": rows}, headers=NO_STORE)


class SyncRequestSerializer(serializers.Serializer):
    device = serializers.UUIDField()
    items = serializers.ListField(child=serializers.DictField(), min_length=1)

    def validate_items(self, items):
        limit = settings.OFFLINE_BATCH_MAX
        if len(items) > limit:
            raise serializers.ValidationError(
                ngettext("Send at most %(n)d item per request.", "Send at most %(n)d items per request.", limit)
                % {"n": limit}
            )
        for position, item in enumerate(items, start=1):
            try:
                uuid.UUID(str(item.get("key", "")))
            except ValueError:
                raise serializers.ValidationError(
                    _("Item %(n)d has no valid key (a UUID).") % {"n": position}
                ) from None
        return items


class OfflineSyncView(OfflineView):
    """Apply a device's queued items in order; one result per item (200 even when some are rejected)."""

    @extend_schema(
        request=SyncRequestSerializer,
        responses=inline_serializer("OfflineSyncResults", {"results": serializers.ListField()}),
    )
    def post(self, request):
        envelope = SyncRequestSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        results = services.sync_batch(
            user=request.user,
            device=envelope.validated_data["device"],
            items=envelope.validated_data["items"],
            request=request,
        )
        return Response({"results": results}, headers=NO_STORE)
