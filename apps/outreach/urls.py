from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.campaign_index, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/progress/", views.campaign_progress, name="campaign-progress"),
    path("campaigns/<int:pk>/recipients/", views.campaign_recipients, name="campaign-recipients"),
    path("campaigns/<int:pk>/messages/<str:language>/", views.campaign_message_edit, name="campaign-message"),
    path("campaigns/<int:pk>/<slug:action>/", views.campaign_action, name="campaign-action"),
    path("segments/", views.segment_index, name="segment-list"),
    path("segments/new/", views.segment_edit, name="segment-create"),
    path("segments/<int:pk>/", views.segment_detail, name="segment-detail"),
    path("segments/<int:pk>/edit/", views.segment_edit, name="segment-edit"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
