"""API of the staff side: search of consenting profiles, and the public taxonomy for type-ahead."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language_from_request
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import PortalPagination
from apps.core.api.throttling import AnonAddressThrottle
from apps.core.audit import audit_record
from apps.core.db import replica_reads
from apps.core.models import Language
from apps.core.permissions import HasRole

from ..filters import ProfileFilterForm
from ..models import EducationField, EducationLevel, Occupation, Sector, Skill
from ..permissions import SEARCH_ROLES
from ..selectors.search import listed_profiles, profile_search, profile_search_prefetch
from ..selectors.vocabulary import vocabulary_filter
from ..services import profile_search_record
from .serializers import (
    EducationSerializer,
    LanguageSerializer,
    OccupationSerializer,
    ProfileSearchResultSerializer,
    SectorSerializer,
    SkillSerializer,
)


class RequestLanguageMixin:
    """Labels in the language the client asks for: ``?lang=fr``, else the Accept-Language header.

    API paths carry no language prefix, so Django's LocaleMiddleware would always answer in English.
    """

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = get_language_from_request(request._request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)


_LANG_PARAM = OpenApiParameter("lang", OpenApiTypes.STR, enum=["en", "fr", "ar"], description="Language of labels.")

_MULTIPLE = {"residence_country", "origin_country", "sector", "skill", "language", "interest"}


def _filter_parameters() -> list[OpenApiParameter]:
    params = []
    for name, field in ProfileFilterForm.base_fields.items():
        kind = OpenApiTypes.DATE if name.startswith("available_") else OpenApiTypes.STR
        params.append(
            OpenApiParameter(
                name,
                kind,
                description=str(field.help_text or field.label),
                many=name in _MULTIPLE,
                explode=True if name in _MULTIPLE else None,
            )
        )
    return params


class SearchPagination(PortalPagination):
    """The portal's pages plus ``truncated``: more profiles matched than the search lists (its cap)."""

    truncated = False

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["truncated"] = self.truncated
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["truncated"] = {
            "type": "boolean",
            "description": "More profiles match than are listed (at most SKILLS_SEARCH_MAX_RESULTS, 1,000 by "
            "default): add words or filters.",
        }
        schema["required"] = sorted({*schema.get("required", []), "truncated"})
        return schema


class ProfileSearchView(RequestLanguageMixin, APIView):
    """Search the skills bank: profiles that consented to be listed, ranked by relevance to ``q``.

    Filters repeat for several values (``?sector=health&sector=ict``); ``occupation`` takes ISCO-08 codes at any
    level. Every search is audited. Office staff, office managers and programme coordinators only.
    """

    permission_classes = [HasRole(*SEARCH_ROLES)]
    pagination_class = SearchPagination

    @extend_schema(parameters=[*_filter_parameters(), _LANG_PARAM], responses=ProfileSearchResultSerializer(many=True))
    def get(self, request):
        with replica_reads():
            return self._search(request)

    def _search(self, request):
        result = profile_search(user=request.user, params=request.query_params)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(profile_search_prefetch(result.queryset), request, view=self)
        count = paginator.page.paginator.count
        paginator.truncated = result.truncated(count)
        profile_search_record(
            search=result, actor=request.user, count=count, truncated=paginator.truncated, request=request
        )
        data = ProfileSearchResultSerializer(page, many=True, context={"words": result.words}).data
        return paginator.get_paginated_response(data)


class ProfileDetailView(RequestLanguageMixin, APIView):
    """One consenting profile, if it is within the caller's scope (404 otherwise). The read is audited."""

    permission_classes = [HasRole(*SEARCH_ROLES)]

    @extend_schema(responses=ProfileSearchResultSerializer)
    def get(self, request, pk: int):
        profile = profile_search_prefetch(listed_profiles(request.user)).filter(pk=pk).first()
        if profile is None:
            raise Http404
        audit_record(actor=request.user, action="profile.view", obj=profile, request=request)
        return Response(ProfileSearchResultSerializer(profile).data)


# Taxonomy (public) ------------------------------------------------------------------------------------------

_Q_PARAM = OpenApiParameter("q", OpenApiTypes.STR, description="Type-ahead: start of a code or part of a label.")


class _TaxonomyList(RequestLanguageMixin, generics.ListAPIView):
    throttle_classes = [AnonAddressThrottle]  # public type-ahead: limited per address for anonymous callers
    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = PortalPagination
    label_field = "label"

    vocabulary_kind: str | None = None  # searched by the forgiving vocabulary search, best match first

    def get_queryset(self):
        queryset = self.base_queryset()
        query = (self.request.query_params.get("q") or "").strip()[:100]
        if query and self.vocabulary_kind:
            return vocabulary_filter(queryset, self.vocabulary_kind, query, language=self.request.LANGUAGE_CODE)
        if query:
            queryset = queryset.filter(Q(code__istartswith=query) | Q(**{f"{self.label_field}__icontains": query}))
        return queryset

    @extend_schema(parameters=[_Q_PARAM, _LANG_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OccupationList(_TaxonomyList):
    """ISCO-08 groups (major, sub-major, minor, unit), labels in the request's language. ``?level=1..4``."""

    serializer_class = OccupationSerializer

    @property
    def vocabulary_kind(self):
        # Everyday titles name unit groups: a search (``q``) over the other levels stays a plain label match.
        return "occupation" if self.request.query_params.get("level") in (None, "", "4") else None

    def base_queryset(self):
        queryset = Occupation.objects.order_by("code")
        level = self.request.query_params.get("level")
        if level in {"1", "2", "3", "4"}:
            queryset = queryset.filter(level=int(level))
        return queryset

    @extend_schema(parameters=[_Q_PARAM, _LANG_PARAM, OpenApiParameter("level", OpenApiTypes.INT, enum=[1, 2, 3, 4])])
    def get(self, request, *args, **kwargs):
        return generics.ListAPIView.get(self, request, *args, **kwargs)


class SectorList(_TaxonomyList):
    """Sectors, labels in the request's language."""

    serializer_class = SectorSerializer
    vocabulary_kind = "sector"

    def base_queryset(self):
        return Sector.objects.order_by("label")


class SkillList(_TaxonomyList):
    """The skills vocabulary, labels in the request's language. ``?sector=<code>``."""

    serializer_class = SkillSerializer
    vocabulary_kind = "skill"

    def base_queryset(self):
        queryset = Skill.objects.order_by("label")
        if self.request.query_params.get("sector"):
            queryset = queryset.filter(sector_id=self.request.query_params["sector"])
        return queryset

    @extend_schema(parameters=[_Q_PARAM, _LANG_PARAM, OpenApiParameter("sector", OpenApiTypes.STR)])
    def get(self, request, *args, **kwargs):
        return generics.ListAPIView.get(self, request, *args, **kwargs)


class LanguageList(_TaxonomyList):
    """Languages (ISO 639-1), names in the request's language."""

    serializer_class = LanguageSerializer
    label_field = "name"

    def base_queryset(self):
        return Language.objects.order_by("name")


class EducationLevelList(_TaxonomyList):
    """ISCED 2011 levels, labels in the request's language."""

    serializer_class = EducationSerializer

    def base_queryset(self):
        return EducationLevel.objects.order_by("code")


class EducationFieldList(_TaxonomyList):
    """ISCED-F 2013 broad fields, labels in the request's language."""

    serializer_class = EducationSerializer

    def base_queryset(self):
        return EducationField.objects.order_by("code")
