from __future__ import annotations

from rest_framework import serializers

from apps.accounts.models import Organisation
from apps.core.models import Country, Language
from apps.offices.models import Contact, Person
from apps.offices.selectors import person_list
from apps.skills.models import DiasporaProfile, Occupation, Sector, Skill

from ..models import Event, EventRegistration, FundingOpportunity, InfoSheet, ReturnPlan, SheetHandout, Vacancy
from ..services import events as event_services
from ..services import funding as funding_services
from ..services import info_sheets as sheet_services
from ..services import plans as plan_services
from ..services import vacancies as vacancy_services


class InfoSheetSerializer(serializers.ModelSerializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    available_languages = serializers.SerializerMethodField()

    class Meta:
        model = InfoSheet
        fields = [
            "id",
            *sheet_services.FIELDS,
            "available_languages",
            "reviewed_on",
            "review_due_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "available_languages", "reviewed_on", "review_due_on", "created_at", "updated_at"]

    def get_available_languages(self, sheet) -> list[str]:
        return sheet.available_languages()


class FundingOpportunitySerializer(serializers.ModelSerializer):
    countries = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), many=True)
    sectors = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), many=True, required=False)

    class Meta:
        model = FundingOpportunity
        fields = ["id", *funding_services.FIELDS, "countries", "sectors", "status", "published_at"]
        read_only_fields = ["id", "status", "published_at"]


class VacancySerializer(serializers.ModelSerializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.all(), required=False, allow_null=True)
    skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    languages = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all(), many=True, required=False)

    class Meta:
        model = Vacancy
        fields = ["id", *vacancy_services.VACANCY_FIELDS, *vacancy_services.VACANCY_RELATIONS, "created_at"]
        read_only_fields = ["id", "created_at"]


class ReasonSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    points = serializers.IntegerField()


class MatchSerializer(serializers.Serializer):
    """One ranked match: the object's id, its score and the reasons it matched."""

    id = serializers.IntegerField(source="obj.pk")
    score = serializers.IntegerField()
    reasons = ReasonSerializer(many=True)


class PlanMatchSerializer(MatchSerializer):
    stage = serializers.CharField(source="obj.stage")
    is_matched = serializers.BooleanField(source="obj.is_matched")


class VacancyMatchesSerializer(serializers.Serializer):
    profiles = MatchSerializer(many=True)
    plans = PlanMatchSerializer(many=True)


class VacancyFitSerializer(MatchSerializer):
    title = serializers.CharField(source="obj.title")
    employer = serializers.CharField(source="obj.employer")
    country = serializers.CharField(source="obj.country_id")
    closing_date = serializers.DateField(source="obj.closing_date")


class HandoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = SheetHandout
        fields = ["sheet", "handed_out_by", "created_at"]
        read_only_fields = fields


class PlanContactSerializer(serializers.ModelSerializer):
    sheets_handed_out = HandoutSerializer(source="sheet_handouts", many=True, read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "occurred_at", "channel", "topics", "summary", "outcome", "staff", "sheets_handed_out"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), required=False, allow_null=True)
    language = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all(), required=False, allow_null=True)
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", *event_services.FIELDS, "status", "places_left"]
        read_only_fields = ["id", "status", "places_left"]

    def get_places_left(self, event) -> int | None:
        registered = getattr(event, "registered_count", None)
        return None if registered is None else max(event.capacity - registered, 0)


class EventRegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventRegistration
        fields = ["id", "event", "status", "created_at"]
        read_only_fields = fields


class ReturnPlanSerializer(serializers.ModelSerializer):
    desk = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    profile = serializers.PrimaryKeyRelatedField(
        queryset=DiasporaProfile.objects.filter(erased_at__isnull=True), required=False, allow_null=True
    )
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False, allow_null=True)
    destination_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    sector = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=ReturnPlan.Need.choices), required=False)
    referrals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    matched_funding = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    matched_vacancies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReturnPlan
        fields = [
            "id",
            "desk",
            *plan_services.FIELDS,
            "stage",
            "stage_changed_at",
            "referrals",
            "matched_funding",
            "matched_vacancies",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "stage", "stage_changed_at", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only client records the user may read: another office's client is "not found", like a missing id.
            self.fields["person"].queryset = person_list(user=request.user)


class ReturnPlanStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ReturnPlan.Stage.choices)
