from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import ContactViewSet, OfficeViewSet, PersonViewSet, ReferralViewSet

router = SimpleRouter()
router.register("offices", OfficeViewSet, basename="api-office")
router.register("persons", PersonViewSet, basename="api-person")
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("referrals", ReferralViewSet, basename="api-referral")

urlpatterns = [*router.urls, path("offline/", include("apps.offices.offline.api_urls"))]
