from django.urls import include, path

app_name = "skills"

urlpatterns = [
    path("", include("apps.skills.member_urls")),
    path("staff/", include("apps.skills.staff_urls")),
]
