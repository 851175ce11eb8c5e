"""The offline sync API (under /api/v1/offline/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("session/", api.OfflineSessionView.as_view(), name="api-offline-session"),
    path("persons/", api.OfflinePersonsView.as_view(), name="api-offline-persons"),
    path("sync/", api.OfflineSyncView.as_view(), name="api-offline-sync"),
]
