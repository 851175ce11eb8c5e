from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from apps.core.api.pagination import PortalPagination
from apps.core.permissions import HasRole
from apps.core.roles import Role

from .. import selectors, services
from ..models import ExchangeRequest
from ..permissions import allowed_actions
from .serializers import (
    ExchangeRequestListSerializer,
    ExchangeRequestSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)

ERROR_DESCRIPTION = 'The one error shape: {"error": {"code", "message", "fields"}}.'


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request changed in the meantime."


@extend_schema_view(
    list=extend_schema(
        summary="Exchange requests the caller may see",
        responses={200: ExchangeRequestListSerializer(many=True), 403: OpenApiResponse(description=ERROR_DESCRIPTION)},
    ),
    retrieve=extend_schema(
        summary="One exchange request, with its participants, experts, decision log and the caller's next actions",
        responses={200: ExchangeRequestSerializer, 404: OpenApiResponse(description=ERROR_DESCRIPTION)},
    ),
    create=extend_schema(
        summary="Draft a request (focal point of the requesting institution)",
        request=ExchangeRequestSerializer,
        responses={201: ExchangeRequestSerializer, 400: OpenApiResponse(description=ERROR_DESCRIPTION)},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or returned request (focal point of the requesting institution)",
        request=ExchangeRequestSerializer,
        responses={
            200: ExchangeRequestSerializer,
            400: OpenApiResponse(description=ERROR_DESCRIPTION),
            403: OpenApiResponse(description=ERROR_DESCRIPTION),
            404: OpenApiResponse(description=ERROR_DESCRIPTION),
            409: OpenApiResponse(description="The request is no longer a draft or returned."),
        },
    ),
)
class ExchangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [HasRole(Role.FOCAL_POINT, Role.APPROVER, Role.COORDINATOR)]
    pagination_class = PortalPagination
    filterset_fields = ["state", "kind", "requesting_country", "host_country"]
    queryset = ExchangeRequest.objects.none()

    def get_queryset(self):
        return selectors.exchange_request_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ExchangeRequestListSerializer
        if self.action == "transitions":
            return TransitionSerializer
        return ExchangeRequestSerializer

    def get_object(self):
        return selectors.exchange_request_detail(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = ExchangeRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        institution = data.pop("requesting_institution")
        languages = data.pop("languages_sought", None)
        created = services.exchange_request_create(
            actor=request.user, institution=institution, fields=data, languages_sought=languages
        )
        detail = selectors.exchange_request_detail(user=request.user, pk=created.pk)
        return Response(ExchangeRequestSerializer(detail, context={"request": request}).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        exchange_request = self.get_object()
        serializer = ExchangeRequestSerializer(
            exchange_request, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "requesting_institution" in data:
            raise exceptions.ValidationError(
                {"requesting_institution": [_("The requesting institution of a request cannot change.")]}
            )
        languages = data.pop("languages_sought", None)
        try:
            services.exchange_request_update(
                request=exchange_request, actor=request.user, fields=data, languages_sought=languages
            )
        except services.TransitionConflictError as conflict:
            raise Conflict(conflict.message) from conflict
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from denied
        detail = selectors.exchange_request_detail(user=request.user, pk=exchange_request.pk)
        return Response(ExchangeRequestSerializer(detail, context={"request": request}).data)

    @extend_schema(
        summary="Take an action on the request (submit, endorse, accept, return, reject, approve, …)",
        request=TransitionSerializer,
        responses={
            200: TransitionResultSerializer,
            400: OpenApiResponse(description="A rule is not met (fields say which). " + ERROR_DESCRIPTION),
            403: OpenApiResponse(description="Not the caller's role or country for this step, or their own request."),
            404: OpenApiResponse(description="No such request among those the caller may see."),
            409: OpenApiResponse(
                description="The request is not in a state that allows the action (e.g. another decider acted first)."
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        exchange_request = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = services.exchange_request_transition(
                request=exchange_request,
                actor=request.user,
                action=serializer.validated_data["action"],
                comment=serializer.validated_data["comment"],
            )
        except services.TransitionConflictError as conflict:
            raise Conflict(conflict.message) from conflict
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from denied
        exchange_request.refresh_from_db()
        body = {
            "id": exchange_request.pk,
            "state": exchange_request.state,
            "decision": decision,
            "allowed_actions": allowed_actions(request.user, exchange_request),
        }
        return Response(TransitionResultSerializer(body).data)
