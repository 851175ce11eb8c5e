"""The member's pages, under /<language>/skills/ (namespace ``skills``)."""

from django.urls import path

from . import views_member as views

urlpatterns = [
    path("me/", views.profile_page, name="profile"),
    path("me/confirm/", views.profile_confirm, name="profile-confirm"),
    path("me/wizard/", views.wizard_resume, name="wizard"),
    path("me/wizard/<slug:step>/", views.wizard_step, name="wizard-step"),
    path("me/data/", views.my_data, name="my-data"),
    path("me/data/export/", views.data_export, name="my-data-export"),
    path("me/data/consents/<slug:purpose>/<slug:change>/", views.consent_change, name="consent-change"),
    path("me/erase/", views.erase, name="erase"),
    path("cv/<int:profile_id>/", views.cv_download, name="cv-download"),
    path("confirm/<str:token>/", views.confirm_link, name="confirm"),
]
