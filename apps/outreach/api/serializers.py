from rest_framework import serializers

from ..models import Campaign, CampaignMessage, Channel, Segment


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "description", "filters", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Everyone who consented is a choice to make explicitly: send {} for it.
        extra_kwargs = {"filters": {"required": True}}


class SegmentPreviewRequestSerializer(serializers.Serializer):
    filters = serializers.JSONField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.EMAIL)


class SegmentPreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    by_language = serializers.DictField(child=serializers.IntegerField())
    sample = serializers.ListField(child=serializers.DictField())


class CampaignMessageSerializer(serializers.ModelSerializer):
    # Plain strings (checked by the service): the language choice set already has a name in the schema.
    language = serializers.CharField(max_length=8, help_text="en, fr or ar")

    class Meta:
        model = CampaignMessage
        fields = ["language", "subject", "body"]


class CampaignSerializer(serializers.ModelSerializer):
    messages = CampaignMessageSerializer(many=True, required=False)
    segment = serializers.PrimaryKeyRelatedField(queryset=Segment.objects.all())
    default_language = serializers.CharField(max_length=8, default="en", help_text="en, fr or ar")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "channel",
            "segment",
            "sender_name",
            "default_language",
            "missing_language_fallback",
            "state",
            "scheduled_at",
            "started_at",
            "finished_at",
            "recipient_count",
            "messages",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "missing_language_fallback",
            "state",
            "scheduled_at",
            "started_at",
            "finished_at",
            "recipient_count",
            "created_at",
        ]


class CampaignScheduleSerializer(serializers.Serializer):
    send_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Omit or null to send now.")
    send_default_language = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send recipients whose language has no message the default language (recorded).",
    )


class CampaignStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    bounced = serializers.IntegerField()
    skipped = serializers.IntegerField()
    remaining = serializers.IntegerField()
    percent = serializers.IntegerField()
    rate = serializers.FloatField()
    health = serializers.ChoiceField(
        choices=["ok", "resuming", "stalled"],
        help_text="resuming: a worker sending it stopped and its messages are being given back; stalled: nothing "
        "sent for a while and no worker holds its messages (POST resume-now).",
    )
    last_sent_at = serializers.DateTimeField(allow_null=True)
    seconds_since_last_message = serializers.IntegerField(allow_null=True)


class SmsInboundSerializer(serializers.Serializer):
    sender = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=1600)
