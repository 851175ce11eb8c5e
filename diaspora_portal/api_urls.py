"""REST API, version 1. Each app contributes its routes from ``apps/<app>/api/urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.skills.api.urls")),
    path("", include("apps.offices.api.urls")),
    path("", include("apps.returns.api.urls")),
    path("", include("apps.exchange.api.urls")),
    path("", include("apps.outreach.api.urls")),
    path("reports/", include("apps.reports.api.urls")),
]
