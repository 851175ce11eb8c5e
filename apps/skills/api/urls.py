from django.urls import include, path

urlpatterns = [
    path("", include("apps.skills.api.member_urls")),
    path("", include("apps.skills.api.staff_urls")),
]
