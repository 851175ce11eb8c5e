from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ..webhooks_http import provider_tracking_webhook
from . import views

router = SimpleRouter()
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("", include(router.urls)),
    path("outreach/sms/inbound/", views.sms_inbound, name="outreach-sms-inbound"),
    path(
        "outreach/anymail/<slug:provider>/tracking/",
        provider_tracking_webhook,
        name="outreach-provider-tracking",
    ),
]
