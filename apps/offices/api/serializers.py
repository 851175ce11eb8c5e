from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from apps.accounts.models import Organisation, User
from apps.core.models import Language

from ..models import NOTES_MAX_LENGTH, Channel, Contact, Office, Person, Referral, Topic, Vulnerability


class OfficeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Office
        fields = ["id", "name", "type", "country", "municipality", "address", "hotline", "email", "languages",
                  "opening_hours"]  # fmt: skip


class PersonSerializer(serializers.ModelSerializer):
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())
    languages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Language.objects.all(), required=False
    )
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), required=False
    )

    class Meta:
        model = Person
        fields = ["id", "office", "name_latin", "name_arabic", "sex", "birth_year", "birth_date", "nationality",
                  "residence_country", "phone", "email", "languages", "preferred_language", "vulnerabilities",
                  "counsellor", "version", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["counsellor", "version", "created_at", "updated_at"]
        # Rules (names, flags, scope) are checked by the services, so a bad value gets one error shape.
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("restricted", {}).get(instance.pk, False):
            data.pop("vulnerabilities", None)
        return data


class PersonListSerializer(serializers.ModelSerializer):
    """A client in a list: enough to tell namesakes apart; the full record is ``GET /persons/{id}/``."""

    class Meta:
        model = Person
        fields = ["id", "office", "name_latin", "name_arabic", "birth_year", "counsellor", "updated_at"]
        read_only_fields = fields


class PersonUpdateSerializer(PersonSerializer):
    """PATCH of a client record: the office stays; the counsellor may change (the service checks who may)."""

    office = serializers.PrimaryKeyRelatedField(read_only=True)
    counsellor = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)

    class Meta(PersonSerializer.Meta):
        read_only_fields = ["version", "created_at", "updated_at"]


class FollowUpSerializer(serializers.Serializer):
    """Reschedule and/or reassign a follow-up; a field left out stays as it is."""

    follow_up_due = serializers.DateField(required=False)
    follow_up_assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)


class ContactSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), allow_empty=False)
    channel = serializers.ChoiceField(choices=Channel.choices)
    notes = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    follow_up_assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    occurred_at = serializers.DateTimeField(required=False, default=timezone.now)

    class Meta:
        model = Contact
        fields = ["id", "office", "person", "channel", "family_relationship", "reporter_name", "reporter_phone",
                  "reporter_may_call_back", "occurred_at", "staff", "topics",
                  "summary", "notes", "outcome", "follow_up_due", "follow_up_assignee", "follow_up_done_at"]  # fmt: skip
        read_only_fields = ["office", "staff", "follow_up_done_at"]
        validators: list = []


class ReferralSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    consent_given = serializers.BooleanField()

    class Meta:
        model = Referral
        fields = ["id", "office", "person", "contact", "organisation", "reason", "consent_given",
                  "consent_recorded_at", "status", "created_by", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["office", "contact", "consent_recorded_at", "status", "created_by", "created_at",
                            "updated_at"]  # fmt: skip
        validators: list = []


class ReferralStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices)
