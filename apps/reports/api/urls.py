from django.urls import include, path

from . import views

patterns = [
    path("", views.ReportListView.as_view(), name="report-list"),
    path("<slug:slug>/", views.ReportDetailView.as_view(), name="report-detail"),
]

urlpatterns = [path("", include((patterns, "api-reports")))]
