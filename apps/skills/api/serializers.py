"""Serializers of the staff search and of the public taxonomy (labels in the request's language)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from ..filters import FRESH_DAYS
from ..selectors.search import highlight


class OccupationSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    level = serializers.IntegerField()
    parent = serializers.CharField(source="parent_id", allow_null=True)


class SectorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class SkillSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sector = serializers.CharField(source="sector_id")


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(source="name")


class EducationSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ProfileSkillSerializer(serializers.Serializer):
    code = serializers.CharField(source="skill_id", allow_null=True)
    label = serializers.SerializerMethodField()
    kind = serializers.CharField()

    def get_label(self, obj) -> str:
        return obj.skill.label if obj.skill_id else obj.proposed_text


class ProfileLanguageSerializer(serializers.Serializer):
    code = serializers.CharField(source="language_id")
    label = serializers.CharField(source="language.name")
    level = serializers.CharField()


class HighlightSerializer(serializers.Serializer):
    name = serializers.CharField()
    name_ar = serializers.CharField()
    job_title = serializers.CharField()
    employer = serializers.CharField()


class ProfileSearchResultSerializer(serializers.Serializer):
    """A consenting profile as staff see it in search results. ``highlight`` holds escaped HTML with <mark>."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    first_name_ar = serializers.CharField()
    last_name_ar = serializers.CharField()
    residence_country = serializers.CharField(source="residence_country_id", allow_null=True)
    residence_city = serializers.CharField()
    origin_country = serializers.CharField(source="origin_country_id", allow_null=True)
    job_title = serializers.CharField()
    employer = serializers.CharField()
    years_experience = serializers.IntegerField(allow_null=True)
    occupations = OccupationSerializer(many=True)
    sectors = SectorSerializer(many=True)
    skills = ProfileSkillSerializer(many=True)
    languages = ProfileLanguageSerializer(many=True)
    engagement_interests = serializers.ListField(child=serializers.CharField())
    available_from = serializers.DateField(allow_null=True)
    available_to = serializers.DateField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    last_confirmed_at = serializers.DateTimeField(allow_null=True)
    fresh = serializers.SerializerMethodField()
    highlight = serializers.SerializerMethodField()

    def get_fresh(self, obj) -> bool:
        threshold = timezone.now() - timedelta(days=FRESH_DAYS)
        return obj.last_confirmed_at is not None and obj.last_confirmed_at >= threshold

    def get_highlight(self, obj) -> dict:
        words = self.context.get("words", [])
        return HighlightSerializer(
            {
                "name": highlight(obj.full_name, words),
                "name_ar": highlight(obj.full_name_ar, words),
                "job_title": highlight(obj.job_title, words),
                "employer": highlight(obj.employer, words),
            }
        ).data
