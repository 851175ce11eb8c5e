from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import Organisation
from apps.core.models import Country, Language
from apps.skills.models import Skill

from ..fields import (
    EVALUATION_FIELDS,
    PARTICIPANT_FIELDS,
    PROGRAMME_ITEM_FIELDS,
    REPORT_FIELDS,
    REQUEST_FIELDS,
    REQUEST_RELATIONS,
    SCHEDULE_DATE_FIELDS,
    SCHEDULE_FIELDS,
)
from ..models import (
    Decision,
    Evaluation,
    ExchangeRequest,
    ExpertSelection,
    Participant,
    ProgrammeItem,
    Report,
    Schedule,
)
from ..permissions import ACTIONS, allowed_actions


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", *PARTICIPANT_FIELDS]


class ParticipantWriteSerializer(serializers.ModelSerializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())

    class Meta:
        model = Participant
        fields = ["id", *PARTICIPANT_FIELDS]

    def validate(self, attrs):
        # The service validates (full_clean and the three-per-country rule) in one place.
        return attrs


class ExpertSelectionSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.get_full_name")

    class Meta:
        model = ExpertSelection
        fields = ["id", "expert", "status", "provider_country", "invited_at", "answered_at"]


class ShortlistSerializer(serializers.Serializer):
    """Shortlist a candidate of the matching (``profile``) or a portal user by e-mail (``email`` and country)."""

    profile = serializers.IntegerField(required=False, help_text="A candidate's profile id (from candidates/).")
    email = serializers.EmailField(required=False)
    provider_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), required=False)

    def validate(self, attrs):
        if "profile" in attrs:
            return attrs
        missing = {name: [_("This field is required.")] for name in ("email", "provider_country") if name not in attrs}
        if missing:
            raise serializers.ValidationError(
                {**missing, "profile": [_("Give a candidate's profile, or an e-mail address and a country.")]}
            )
        return attrs


class CallResultSerializer(serializers.Serializer):
    invited = serializers.IntegerField(help_text="How many shortlisted members were called.")


class AnswerSerializer(serializers.Serializer):
    interested = serializers.BooleanField()


class CandidateQuerySerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="A name in Latin or Arabic script, any spelling."
    )


class ExpertCandidateSerializer(serializers.Serializer):
    profile = serializers.IntegerField(source="profile.pk")
    name = serializers.CharField(source="profile.full_name")
    job_title = serializers.CharField(source="profile.job_title")
    residence_country = serializers.CharField(source="profile.residence_country_id", allow_null=True)
    nationality = serializers.CharField(source="profile.nationality_id", allow_null=True)
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it ranks here, translated.")
    selection_status = serializers.CharField(source="selection.status", allow_null=True, default=None)
    name_match = serializers.CharField(help_text="With name: how the name matched, translated (empty if the same).")


class ExchangeReportSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "author", *REPORT_FIELDS, "submitted_at"]
        read_only_fields = ["submitted_at"]
        # Files are sent (multipart), never handed back as a storage address: pages serve them after a check.
        extra_kwargs = {"attachment": {"write_only": True}}

    def validate(self, attrs):
        return attrs


class ExchangeEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "respondent", *EVALUATION_FIELDS, "submitted_at"]
        read_only_fields = ["respondent", "submitted_at"]

    def validate(self, attrs):
        return attrs


class DecisionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="by_label", help_text="Who decided; the portal itself for a closing.")
    # Plain strings: the states are described once, on the request's "state" (one enum in the schema).
    from_state = serializers.CharField(help_text="The state before the decision.")
    to_state = serializers.CharField(help_text="The state after the decision.")

    class Meta:
        model = Decision
        fields = [
            "id",
            "actor",
            "role",
            "action",
            "from_state",
            "to_state",
            "comment",
            "reason",
            "changed_fields",
            "created_at",
        ]


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


class ProgrammeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = PROGRAMME_ITEM_FIELDS


class ScheduleSerializer(serializers.ModelSerializer):
    """The schedule the coordinator records: PUT on an approved request schedules it; on a scheduled one it is a
    change (``comment``, the reason, required when something changes)."""

    start_date = serializers.DateField(source="request.start_date", help_text="The confirmed start date.")
    end_date = serializers.DateField(source="request.end_date", help_text="The confirmed end date.")
    items = ProgrammeItemSerializer(many=True, required=False, help_text="The programme; omitted: kept as it is.")
    comment = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")

    class Meta:
        model = Schedule
        fields = [*SCHEDULE_DATE_FIELDS, *SCHEDULE_FIELDS, "items", "comment"]
        # The programme as a PDF is sent by multipart (checked by its content, as on the page); it is not handed
        # back as a storage address.
        extra_kwargs = {"programme_file": {"write_only": True}}

    def validate(self, attrs):
        # The service validates the schedule as a whole (full_clean and the rules) in one place.
        return attrs


class ExchangeRequestSerializer(serializers.ModelSerializer):
    requesting_institution = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    host_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    working_language = serializers.PrimaryKeyRelatedField(
        queryset=Language.objects.all(), required=False, allow_null=True
    )
    languages_sought = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all(), many=True, required=False)
    skills = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), many=True, required=False, help_text="Skills sought, from the vocabulary."
    )
    participants = ParticipantSerializer(many=True, read_only=True)
    expert_selections = ExpertSelectionSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    schedule = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = ExchangeRequest
        fields = [
            "id",
            "state",
            "requesting_institution",
            "requesting_country",
            *REQUEST_FIELDS,
            *REQUEST_RELATIONS,
            "participants",
            "expert_selections",
            "decisions",
            "schedule",
            "allowed_actions",
        ]
        read_only_fields = ["state", "requesting_country"]
        extra_kwargs = {"terms_of_reference_file": {"write_only": True}}

    @extend_schema_field(ScheduleSerializer(allow_null=True))
    def get_schedule(self, obj):
        from ..permissions import has_schedule

        return ScheduleSerializer(obj.schedule).data if has_schedule(obj) else None

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
