"""``/api/v1/me/profile/``: the signed-in member's own skills profile (GET, PATCH). Never anyone else's."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.models import Country
from apps.core.permissions import HasRole
from apps.core.roles import Role
from apps.core.validators import validate_clean_text

from ..forms import MAX_ROWS  # the same caps as the wizard's forms
from ..models import (
    CONSENT_FIELDS,
    AssociationMembership,
    DiasporaProfile,
    EngagementInterest,
    Occupation,
    ProfessionalRegistration,
    ProfileEducation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)
from ..selectors import profile_completeness, profile_for_member, profile_is_stale
from ..services import profiles as svc

_COUNTRY = {"slug_field": "code", "queryset": Country.objects.all(), "allow_null": True, "required": False}


class LanguageRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfileLanguage
        fields = ["language", "level"]


class EducationRowSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(**_COUNTRY)
    institution = serializers.CharField(
        max_length=200, allow_blank=True, required=False, validators=[validate_clean_text]
    )

    class Meta:
        model = ProfileEducation
        fields = ["level", "field", "institution", "country", "year"]


class SkillRowSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(
        slug_field="code", queryset=Skill.objects.all(), allow_null=True, required=False
    )
    proposed_text = serializers.CharField(
        max_length=200, allow_blank=True, required=False, validators=[validate_clean_text]
    )

    class Meta:
        model = ProfileSkill
        fields = ["skill", "proposed_text", "kind"]

    def validate(self, attrs):
        skill, text = attrs.get("skill"), (attrs.get("proposed_text") or "").strip()
        if bool(skill) == bool(text):
            raise serializers.ValidationError(
                {"skill": [_("Give either a skill from the vocabulary or a proposed skill, not both.")]}
            )
        attrs["proposed_text"] = text
        return attrs


class RegistrationRowSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(**_COUNTRY)
    body = serializers.CharField(max_length=200, validators=[validate_clean_text])
    number = serializers.CharField(max_length=100, allow_blank=True, required=False, validators=[validate_clean_text])

    class Meta:
        model = ProfessionalRegistration
        fields = ["body", "number", "country"]


class AssociationRowSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=200, allow_blank=True, required=False, validators=[validate_clean_text])

    class Meta:
        model = AssociationMembership
        fields = ["organisation", "name"]

    def validate(self, attrs):
        if not attrs.get("organisation") and not (attrs.get("name") or "").strip():
            raise serializers.ValidationError({"name": [_("Choose an association from the list or write its name.")]})
        return attrs


class CompletenessSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


ROW_KINDS = ("languages", "education", "skills", "registrations", "associations")


class MemberProfileSerializer(serializers.ModelSerializer):
    origin_country = serializers.SlugRelatedField(**_COUNTRY)
    nationality = serializers.SlugRelatedField(**_COUNTRY)
    residence_country = serializers.SlugRelatedField(**_COUNTRY)
    occupations = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.filter(level=4), many=True, required=False
    )
    sectors = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all(), many=True, required=False)
    engagement_interests = serializers.ListField(
        child=serializers.ChoiceField(choices=EngagementInterest.choices),
        required=False,
        max_length=len(EngagementInterest.choices),
    )
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    languages = LanguageRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    education = EducationRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    skills = SkillRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    registrations = RegistrationRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    associations = AssociationRowSerializer(many=True, required=False, max_length=MAX_ROWS)
    consents = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField()
    is_stale = serializers.SerializerMethodField()
    has_cv = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField()

    class Meta:
        model = DiasporaProfile
        fields = [
            "id",
            *svc.MEMBER_FIELDS,
            "occupations",
            "sectors",
            *ROW_KINDS,
            "consents",
            "completeness",
            "is_stale",
            "has_cv",
            "verified",
            "last_confirmed_at",
            "wizard_step",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "last_confirmed_at", "wizard_step", "created_at", "updated_at"]
        extra_kwargs = {name: {"validators": [validate_clean_text]} for name in svc.TEXT_FIELDS}

    def to_internal_value(self, data):
        # Occupation and sector codes are looked up one by one: refuse an oversized list before any lookup.
        if hasattr(data, "get"):
            too_long = {
                name: [serializers.ListField.default_error_messages["max_length"].format(max_length=MAX_ROWS)]
                for name in ("occupations", "sectors")
                if isinstance(data.get(name), list) and len(data[name]) > MAX_ROWS
            }
            if too_long:
                raise serializers.ValidationError(too_long)
        return super().to_internal_value(data)

    def get_consents(self, profile) -> dict[str, bool]:
        return {purpose.value: getattr(profile, field) for purpose, field in CONSENT_FIELDS.items()}

    @extend_schema_field(CompletenessSerializer)
    def get_completeness(self, profile) -> dict:
        result = profile_completeness(profile)
        return {
            "score": result.score,
            "missing": [{"step": step, "label": str(label)} for step, label in result.missing],
        }

    def get_is_stale(self, profile) -> bool:
        return profile_is_stale(profile)

    def get_has_cv(self, profile) -> bool:
        return bool(profile.cv)

    def get_verified(self, profile) -> bool:
        return profile.verified_at is not None

    def validate_date_of_birth(self, value):
        svc.validate_birth_date(value)
        return value

    def validate(self, attrs):
        profile = self.instance
        start = attrs.get("available_from", getattr(profile, "available_from", None))
        end = attrs.get("available_to", getattr(profile, "available_to", None))
        svc.validate_availability(start, end)
        if attrs.get("phone"):
            country = attrs.get("residence_country", getattr(profile, "residence_country", None))
            try:
                attrs["phone"] = svc.phone_normalise(attrs["phone"], region=getattr(country, "code", None))
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"phone": exc.messages}) from None
        return attrs


class MemberProfileView(APIView):
    """The signed-in member's skills profile. PATCH changes only the fields sent; a list sent replaces the
    stored list. A member without a profile creates it with a PATCH that includes ``first_name`` and
    ``last_name``."""

    permission_classes = [HasRole(Role.MEMBER)]
    serializer_class = MemberProfileSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # API paths carry no language prefix: answer (and explain errors) in the member's own language.
        language = getattr(request.user, "preferred_language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def _profile(self):
        profile = profile_for_member(user=self.request.user)
        if profile is None:
            raise NotFound(_("You have no skills profile yet."))
        return profile

    @extend_schema(responses=MemberProfileSerializer, operation_id="me_profile_retrieve")
    def get(self, request):
        return Response(MemberProfileSerializer(self._profile()).data)

    @extend_schema(request=MemberProfileSerializer, responses=MemberProfileSerializer, operation_id="me_profile_update")
    def patch(self, request):
        profile = profile_for_member(user=request.user)
        serializer = MemberProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scalars = {name: data[name] for name in svc.MEMBER_FIELDS if name in data}
        with transaction.atomic():
            if profile is None:
                profile = svc.profile_create(user=request.user, fields=scalars, request=request)
            elif scalars:
                svc.profile_update(profile=profile, fields=scalars, actor=request.user, request=request)
            if "occupations" in data:
                svc.profile_set_occupations(profile=profile, occupations=data["occupations"], actor=request.user)
            if "sectors" in data:
                svc.profile_set_sectors(profile=profile, sectors=data["sectors"], actor=request.user)
            for kind in ROW_KINDS:
                if kind in data:
                    svc.profile_replace_rows(
                        profile=profile, kind=kind, rows=[dict(row) for row in data[kind]], actor=request.user
                    )
        return Response(MemberProfileSerializer(profile_for_member(user=request.user)).data)
