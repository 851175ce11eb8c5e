"""REST API of the return information desk. Reads go through the selectors, writes through the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.permissions import HasRole, has_role

from .. import matching, selectors, services
from ..models import EventRegistration
from ..permissions import DIRECTORY_ROLES, OFFICE_ROLES, can_edit_content, can_edit_vacancies, can_match_vacancies
from .serializers import (
    EventRegistrationSerializer,
    EventSerializer,
    FundingOpportunitySerializer,
    InfoSheetSerializer,
    PlanContactSerializer,
    ReturnPlanSerializer,
    ReturnPlanStageSerializer,
    VacancyFitSerializer,
    VacancyMatchesSerializer,
    VacancySerializer,
)


class PublicReadEditorWrite(permissions.BasePermission):
    """Anyone reads (what the selector lets them see); content editors write."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_content(request.user)


class DirectoryReadOfficeWrite(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return has_role(request.user, *DIRECTORY_ROLES)
        return can_edit_vacancies(request.user)


class _ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _filters(self, *names) -> dict:
        return {name: self.request.query_params.get(name) for name in names if self.request.query_params.get(name)}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_create(serializer.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service_update(obj, serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Full-text search in the request's language"),
            OpenApiParameter("kind", str),
            OpenApiParameter("topic", str),
            OpenApiParameter("country", str),
        ]
    )
)
class InfoSheetViewSet(_ServiceViewSet):
    """Information sheets. Published ones are public; content editors see drafts and write."""

    serializer_class = InfoSheetSerializer
    permission_classes = [PublicReadEditorWrite]

    def get_queryset(self):
        filters = self._filters("q", "kind", "topic", "country")
        if can_edit_content(self.request.user):
            return selectors.info_sheet_editor_list(user=self.request.user, language=get_language(), filters=filters)
        return selectors.info_sheet_public_list(language=get_language(), filters=filters)

    def perform_service_create(self, data):
        return services.info_sheet_create(actor=self.request.user, data=data)

    def perform_service_update(self, obj, data):
        return services.info_sheet_update(sheet=obj, actor=self.request.user, data=data)


class FundingOpportunityViewSet(_ServiceViewSet):
    """Funding opportunities: published and open ones are public; content editors write and publish."""

    serializer_class = FundingOpportunitySerializer
    permission_classes = [PublicReadEditorWrite]

    def get_queryset(self):
        filters = self._filters("country", "sector", "kind")
        if can_edit_content(self.request.user):
            return selectors.funding_editor_list(user=self.request.user, filters=filters)
        return selectors.funding_public_list(filters=filters)

    def _split(self, data):
        fields = {k: v for k, v in data.items() if k not in ("countries", "sectors")}
        return fields, data.get("countries"), data.get("sectors")

    def perform_service_create(self, data):
        fields, countries, sectors = self._split(data)
        return services.funding_opportunity_create(
            actor=self.request.user, data=fields, countries=countries, sectors=sectors or ()
        )

    def perform_service_update(self, obj, data):
        fields, countries, sectors = self._split(data)
        return services.funding_opportunity_update(
            opportunity=obj, actor=self.request.user, data=fields, countries=countries, sectors=sectors
        )

    @extend_schema(request=None, responses=FundingOpportunitySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        opportunity = services.funding_opportunity_publish(opportunity=self.get_object(), actor=request.user)
        return Response(self.get_serializer(opportunity).data)


class VacancyViewSet(_ServiceViewSet):
    """Open vacancies, for office staff and content editors; office staff write."""

    serializer_class = VacancySerializer
    permission_classes = [DirectoryReadOfficeWrite]

    def get_queryset(self):
        return selectors.vacancy_list(filters=self._filters("q", "country", "sector"))

    @extend_schema(request=None, responses=VacancyMatchesSerializer)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """Consenting profiles and the return plans of the user's desks that fit the vacancy, ranked, with the
        reasons each matched (office staff and managers)."""
        if not can_match_vacancies(request.user):
            raise PermissionDenied
        vacancy = matching.vacancy_match_get(user=request.user, pk=pk)
        data = {
            "profiles": matching.profile_matches(user=request.user, vacancy=vacancy),
            "plans": matching.plan_matches(user=request.user, vacancy=vacancy),
        }
        return Response(VacancyMatchesSerializer(data).data)

    def perform_service_create(self, data):
        return services.vacancy_create(actor=self.request.user, data=data)

    def perform_service_update(self, obj, data):
        return services.vacancy_update(vacancy=obj, actor=self.request.user, data=data)


class EventViewSet(_ServiceViewSet):
    """Events: published ones are public; content editors write; members register and cancel."""

    serializer_class = EventSerializer
    permission_classes = [PublicReadEditorWrite]

    def get_permissions(self):
        if self.action == "registration":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        if can_edit_content(self.request.user):
            return selectors.event_editor_list(user=self.request.user)
        return selectors.event_public_list(user=self.request.user, filters=self._filters("kind"))

    def perform_service_create(self, data):
        return services.event_create(actor=self.request.user, data=data)

    def perform_service_update(self, obj, data):
        return services.event_update(event=obj, actor=self.request.user, data=data)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        event = services.event_publish(event=self.get_object(), actor=request.user)
        return Response(self.get_serializer(selectors.event_get(user=request.user, pk=event.pk)).data)

    @extend_schema(methods=["POST"], request=None, responses={201: EventRegistrationSerializer})
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["post", "delete"])
    def registration(self, request, pk=None):
        """POST: register the signed-in member (or put them on the waiting list); DELETE: cancel."""
        event = selectors.event_get(user=request.user, pk=pk)
        if request.method == "DELETE":
            registration = EventRegistration.objects.filter(event=event, user=request.user).first()
            if registration is not None:
                services.event_registration_cancel(registration=registration, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        registration = services.event_register(event=event, user=request.user)
        return Response(EventRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class ReturnPlanViewSet(_ServiceViewSet):
    """Return plans of the desks the signed-in office staff work for; plans of other desks are 404."""

    serializer_class = ReturnPlanSerializer
    permission_classes = [HasRole(*OFFICE_ROLES)]

    def get_queryset(self):
        return selectors.return_plan_list(user=self.request.user, filters=self._filters("stage", "kind", "country"))

    def get_object(self):
        return selectors.return_plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform_service_create(self, data):
        data = dict(data)
        desk = data.pop("desk")
        return services.return_plan_create(actor=self.request.user, desk=desk, data=data)

    def perform_service_update(self, obj, data):
        data = {k: v for k, v in data.items() if k != "desk"}
        return services.return_plan_update(plan=obj, actor=self.request.user, data=data)

    @extend_schema(request=ReturnPlanStageSerializer, responses=ReturnPlanSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        serializer = ReturnPlanStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.return_plan_set_stage(
            plan=self.get_object(), actor=request.user, stage=serializer.validated_data["stage"]
        )
        return Response(self.get_serializer(selectors.return_plan_get(user=request.user, pk=plan.pk)).data)

    @extend_schema(request=None, responses=PlanContactSerializer(many=True))
    @action(detail=True, methods=["get"])
    def contacts(self, request, pk=None):
        """The counselling sessions of the plan's client (offices contacts) with the sheets handed out at each;
        404 when the plan has no client record or the user may not read it."""
        plan = self.get_object()
        contacts = selectors.person_contacts(user=request.user, person=plan.person, request=request)
        if contacts is None:
            raise Http404
        return Response(PlanContactSerializer(contacts, many=True).data)

    @extend_schema(request=None, responses=VacancyFitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def vacancies(self, request, pk=None):
        """Open vacancies at the plan's destination that fit it and are not yet matched, best first."""
        return Response(VacancyFitSerializer(matching.vacancies_for_plan(plan=self.get_object()), many=True).data)
