"""The offline sync API (under /api/v1/offline/)."""

urlpatterns: list = []
