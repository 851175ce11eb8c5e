from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.views import set_language
from apps.core import views as core_views

handler400 = "apps.core.views.error_400"
handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set-language"),
    path("api/v1/", include("diaspora_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the CSP needs no inline scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include("apps.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.accounts.urls")),
    path("skills/", include("apps.skills.urls")),
    path("offices/", include("apps.offices.urls")),
    path("returns/", include("apps.returns.urls")),
    path("exchange/", include("apps.exchange.urls")),
    path("outreach/", include("apps.outreach.urls")),
    path("reports/", include("apps.reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
