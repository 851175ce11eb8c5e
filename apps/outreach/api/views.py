from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.core.permissions import HasRole

from .. import services
from ..permissions import MANAGER_ROLES
from ..selectors import campaign_list, campaign_stats, segment_filters_clean, segment_list, segment_preview
from .serializers import (
    CampaignScheduleSerializer,
    CampaignSerializer,
    CampaignStatsSerializer,
    SegmentPreviewRequestSerializer,
    SegmentPreviewSerializer,
    SegmentSerializer,
    SmsInboundSerializer,
)


class SegmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Saved filters over skills-bank profiles. Outreach managers only."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = SegmentSerializer
    permission_classes = [HasRole(*MANAGER_ROLES)]

    def get_queryset(self):
        return segment_list()

    def perform_create(self, serializer):
        serializer.instance = services.segment_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = {**SegmentSerializer(serializer.instance).data, **serializer.validated_data}
        serializer.instance = services.segment_update(
            actor=self.request.user,
            segment=serializer.instance,
            name=data["name"],
            description=data["description"],
            filters=data["filters"],
        )

    @extend_schema(responses=SegmentPreviewSerializer)
    @action(detail=True, methods=["get"])
    def count(self, request, pk=None):
        """How many people the segment reaches on a channel (?channel=email|sms), by language, with a sample."""
        segment = self.get_object()
        channel = request.query_params.get("channel", "email")
        if channel not in ("email", "sms"):
            channel = "email"
        return Response(segment_preview(filters=segment.filters, channel=channel))

    @extend_schema(request=SegmentPreviewRequestSerializer, responses=SegmentPreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """Count of unsaved filters (the live count while a segment is being written)."""
        serializer = SegmentPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filters = segment_filters_clean(serializer.validated_data["filters"])
        return Response(segment_preview(filters=filters, channel=serializer.validated_data["channel"]))


class CampaignViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Campaigns: create (with messages), schedule, pause, resume, cancel, stats. Outreach managers only."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = CampaignSerializer
    permission_classes = [HasRole(*MANAGER_ROLES)]

    def get_queryset(self):
        return campaign_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        messages = data.pop("messages", [])
        serializer.instance = services.campaign_create(actor=self.request.user, messages=messages, **data)

    def _state_response(self, campaign):
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(request=CampaignScheduleSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        campaign = self.get_object()
        serializer = CampaignScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["send_default_language"]:
            services.campaign_missing_language_decide(actor=request.user, campaign=campaign, send_default=True)
        campaign = services.campaign_schedule(
            actor=request.user, campaign=campaign, send_at=serializer.validated_data.get("send_at")
        )
        return self._state_response(campaign)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._state_response(services.campaign_pause(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._state_response(services.campaign_resume(actor=request.user, campaign=self.get_object()))

    @extend_schema(request=None, responses=CampaignStatsSerializer)
    @action(detail=True, methods=["post"], url_path="resume-now")
    def resume_now(self, request, pk=None):
        """Give the messages held by a stopped worker back to the queue at once (see the stats' ``health``)."""
        campaign = self.get_object()
        services.campaign_resume_now(actor=request.user, campaign=campaign)
        return Response(CampaignStatsSerializer(campaign_stats(campaign=campaign)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._state_response(services.campaign_cancel(actor=request.user, campaign=self.get_object()))

    @extend_schema(responses=CampaignStatsSerializer)
    @action(detail=True, methods=["get"])
    def stats(self, request, pk=None):
        return Response(CampaignStatsSerializer(campaign_stats(campaign=self.get_object())).data)


@extend_schema(request=SmsInboundSerializer, responses={204: None})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def sms_inbound(request):
    """Inbound SMS from the gateway (bearer token): STOP withdraws SMS consent for that number."""
    expected = settings.OUTREACH_SMS_INBOUND_TOKEN
    if not expected or request.headers.get("Authorization") != f"Bearer {expected}":
        raise PermissionDenied
    serializer = SmsInboundSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.sms_stop_receive(phone=serializer.validated_data["sender"], text=serializer.validated_data["text"])
    return Response(status=status.HTTP_204_NO_CONTENT)
