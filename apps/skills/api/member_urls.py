from django.urls import path

from .member import MemberProfileView

urlpatterns = [
    path("me/profile/", MemberProfileView.as_view(), name="api-me-profile"),
]
