from django.urls import path

from . import views_staff

urlpatterns = [
    path("search/", views_staff.search, name="staff-search"),
    path("search/export/<str:file_format>/", views_staff.search_export, name="staff-search-export"),
    path("profiles/<int:pk>/", views_staff.profile_detail, name="staff-profile"),
    path("profiles/<int:pk>/cv/", views_staff.profile_cv, name="staff-profile-cv"),
    path("imports/", views_staff.imports, name="staff-imports"),
    path("imports/<int:pk>/", views_staff.import_detail, name="staff-import"),
    path("imports/<int:pk>/progress/", views_staff.import_progress, name="staff-import-progress"),
    path("imports/<int:pk>/check/", views_staff.import_check, name="staff-import-check"),
    path("imports/<int:pk>/apply/", views_staff.import_apply, name="staff-import-apply"),
    path("vocabulary/", views_staff.vocabulary, name="staff-vocabulary"),
    path("vocabulary/new/", views_staff.vocabulary_new, name="staff-vocabulary-new"),
]
