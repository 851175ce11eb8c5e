from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("documents/<int:pk>/", views.pdf_batch_detail, name="pdf-batch"),
    path("documents/<int:pk>/download/", views.pdf_batch_download, name="pdf-batch-download"),
]
