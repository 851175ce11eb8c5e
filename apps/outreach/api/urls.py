from django.urls import include, path
from rest_framework.routers import SimpleRouter

from ..webhooks_http import provider_tracking_webhook, sms_inbound_webhook, sms_receipt_webhook
from . import views

router = SimpleRouter()
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("", include(router.urls)),
    path("outreach/sms/inbound/", views.sms_inbound, name="outreach-sms-inbound"),
    path("outreach/sms/<slug:gateway>/inbound/", sms_inbound_webhook, name="outreach-sms-gateway-inbound"),
    path("outreach/sms/<slug:gateway>/receipts/", sms_receipt_webhook, name="outreach-sms-gateway-receipts"),
    path(
        "outreach/anymail/<slug:provider>/tracking/",
        provider_tracking_webhook,
        name="outreach-provider-tracking",
    ),
]
