from django.conf import settings
from rest_framework import serializers

from apps.core.permissions import active_memberships, user_roles

from ..models import User


class MembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisation_id = serializers.IntegerField(allow_null=True)
    organisation = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "roles", "memberships"]
        read_only_fields = ["id", "email", "roles", "memberships"]

    def get_roles(self, user) -> list[str]:
        return sorted(user_roles(user))

    def get_memberships(self, user) -> list[dict]:
        data = [
            {
                "role": m.role,
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name if m.organisation_id else None,
                "country": m.organisation.country_id if m.organisation_id else None,
            }
            for m in active_memberships(user)
        ]
        return MembershipSerializer(data, many=True).data
