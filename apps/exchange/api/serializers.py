from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.models import Organisation
from apps.core.models import Country, Language

from ..models import Decision, ExchangeRequest, ExpertSelection, Participant
from ..permissions import ACTIONS, allowed_actions


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "name", "institution", "position", "country", "email"]


class ExpertSelectionSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.get_full_name")

    class Meta:
        model = ExpertSelection
        fields = ["id", "expert", "status", "provider_country"]


class DecisionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
    # Plain strings: the states are described once, on the request's "state" (one enum in the schema).
    from_state = serializers.CharField(help_text="The state before the decision.")
    to_state = serializers.CharField(help_text="The state after the decision.")

    class Meta:
        model = Decision
        fields = ["id", "actor", "role", "action", "from_state", "to_state", "comment", "created_at"]


class ExchangeRequestListSerializer(serializers.ModelSerializer):
    requesting_institution = serializers.CharField(source="requesting_institution.name")

    class Meta:
        model = ExchangeRequest
        fields = [
            "id",
            "kind",
            "state",
            "title",
            "theme",
            "requesting_institution",
            "requesting_country",
            "host_country",
            "start_date",
            "end_date",
        ]


class ExchangeRequestSerializer(serializers.ModelSerializer):
    requesting_institution = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    host_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    working_language = serializers.PrimaryKeyRelatedField(
        queryset=Language.objects.all(), required=False, allow_null=True
    )
    languages_sought = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all(), many=True, required=False)
    participants = ParticipantSerializer(many=True, read_only=True)
    expert_selections = ExpertSelectionSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = ExchangeRequest
        fields = [
            "id",
            "kind",
            "state",
            "requesting_institution",
            "requesting_country",
            "host_country",
            "host_institution",
            "title",
            "theme",
            "sectors",
            "objectives",
            "expected_results",
            "initiative",
            "start_date",
            "end_date",
            "working_language",
            "occupations_sought",
            "isco_codes",
            "skills_sought",
            "languages_sought",
            "min_years_experience",
            "number_of_experts",
            "delivery_mode",
            "terms_of_reference",
            "participants",
            "expert_selections",
            "decisions",
            "allowed_actions",
        ]
        read_only_fields = ["state", "requesting_country"]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(self.context["request"].user, obj)

    def validate(self, attrs):
        # Bypass ModelSerializer's model validation: the service validates (full_clean) in one place.
        return attrs


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in ACTIONS], help_text=_("The action to take."))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    decision = DecisionSerializer()
    allowed_actions = serializers.ListField(child=serializers.CharField())
