from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:slug>/", views.report_detail, name="report-detail"),
    path("<slug:slug>/export.csv", views.report_export, {"fmt": "csv"}, name="report-export-csv"),
    path("<slug:slug>/export.xlsx", views.report_export, {"fmt": "xlsx"}, name="report-export-xlsx"),
]
