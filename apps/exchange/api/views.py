from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.api.pagination import PortalPagination
from apps.core.permissions import HasRole
from apps.core.roles import Role

from .. import matching, selectors, services
from ..models import ExchangeRequest, ExpertSelection, Kind, Participant, State
from ..permissions import (
    COORDINATOR,
    REQUESTER,
    allowed_actions,
    can_schedule,
    evaluation_respondent,
    has_any_exchange_role,
    has_report,
    has_schedule,
    is_party,
)
from .serializers import (
    AnswerSerializer,
    CallResultSerializer,
    CandidateQuerySerializer,
    ExchangeEvaluationSerializer,
    ExchangeReportSerializer,
    ExchangeRequestListSerializer,
    ExchangeRequestSerializer,
    ExpertCandidateSerializer,
    ExpertSelectionSerializer,
    ParticipantSerializer,
    ParticipantWriteSerializer,
    ScheduleSerializer,
    ShortlistSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)

SCHEDULABLE = (State.APPROVED, State.SCHEDULED)
ERROR_DESCRIPTION = 'The one error shape: {"error": {"code", "message", "fields"}}.'


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request changed in the meantime."


def _run(service, **kwargs):
    """Call a service, answering its conflicts with 409 and its refusals with 403 and their message."""
    try:
        return service(**kwargs)
    except services.TransitionConflictError as conflict:
        raise Conflict(conflict.message) from conflict
    except DjangoPermissionDenied as denied:
        raise exceptions.PermissionDenied(str(denied) or None) from denied


def _require(allowed: bool, message: str) -> None:
    """Refuse a caller who may not take the action (403) before their body is validated: a wrong role gets 403
    whatever it sends, never a 400 for its fields. The service checks the same right again when it writes."""
    if not allowed:
        raise exceptions.PermissionDenied(message)


def _require_participant_editor(user, exchange_request: ExchangeRequest) -> None:
    _require(
        is_party(user, exchange_request, REQUESTER),
        _("Only a focal point of the requesting institution can change the participants."),
    )


ERROR_TEXTS = {
    400: "Invalid data or a rule not met (fields say which).",
    403: "Not the caller's role (or their own request).",
    404: "No such request (or item) among those the caller may see.",
    409: "The request (or item) is not in a state that allows this.",
}


def _errors(*codes: int) -> dict:
    texts = ERROR_TEXTS
    return {code: OpenApiResponse(description=texts[code] + " " + ERROR_DESCRIPTION) for code in codes}


SELECTION_ID = OpenApiParameter("selection_pk", int, OpenApiParameter.PATH, description="The expert selection's id.")
PARTICIPANT_ID = OpenApiParameter("participant_pk", int, OpenApiParameter.PATH, description="The participant's id.")


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
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    permission_classes = [HasRole(Role.FOCAL_POINT, Role.APPROVER, Role.COORDINATOR)]
    pagination_class = PortalPagination
    filterset_fields = ["state", "kind", "requesting_country", "host_country"]
    queryset = ExchangeRequest.objects.none()

    serializers_by_action = {
        "list": ExchangeRequestListSerializer,
        "transitions": TransitionSerializer,
        "participants": ParticipantWriteSerializer,
        "participant": ParticipantWriteSerializer,
        "expert_selections": ShortlistSerializer,
        "expert_selection_select": ExpertSelectionSerializer,
        "expert_selection_remove": ExpertSelectionSerializer,
        "expert_selection_answer": AnswerSerializer,
        "calls": CallResultSerializer,
        "candidates": ExpertCandidateSerializer,
        "report": ExchangeReportSerializer,
        "evaluations": ExchangeEvaluationSerializer,
        "schedule": ScheduleSerializer,
    }

    def get_queryset(self):
        return selectors.exchange_request_list(user=self.request.user)

    def get_serializer_class(self):
        return self.serializers_by_action.get(self.action, ExchangeRequestSerializer)

    def get_object(self):
        return selectors.exchange_request_detail(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = ExchangeRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        institution = data.pop("requesting_institution")
        languages = data.pop("languages_sought", None)
        skills = data.pop("skills", None)
        created = services.exchange_request_create(
            actor=request.user, institution=institution, fields=data, languages_sought=languages, skills=skills
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
        skills = data.pop("skills", None)
        try:
            services.exchange_request_update(
                exchange_request=exchange_request,
                actor=request.user,
                fields=data,
                languages_sought=languages,
                skills=skills,
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
                exchange_request=exchange_request,
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

    # --- participants (study visits; the requester, while draft or returned) ---------------------------------

    def _detail_response(self, exchange_request, code=200):
        detail = selectors.exchange_request_detail(user=self.request.user, pk=exchange_request.pk)
        return Response(ExchangeRequestSerializer(detail, context={"request": self.request}).data, status=code)

    @extend_schema(
        summary="Add a participant to a draft or returned study visit (focal point of the requesting institution)",
        request=ParticipantWriteSerializer,
        responses={201: ParticipantSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="participants")
    def participants(self, request, pk=None):
        exchange_request = self.get_object()
        _require_participant_editor(request.user, exchange_request)
        serializer = ParticipantWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = _run(
            services.participant_add,
            exchange_request=exchange_request,
            actor=request.user,
            fields=serializer.validated_data,
        )
        return Response(ParticipantSerializer(participant).data, status=201)

    @extend_schema(
        summary="Change or remove a participant of a draft or returned study visit",
        parameters=[PARTICIPANT_ID],
        request=ParticipantWriteSerializer,
        responses={200: ParticipantSerializer, 204: None, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"participants/(?P<participant_pk>[0-9]+)")
    def participant(self, request, pk=None, participant_pk=None):
        exchange_request = self.get_object()
        participant = Participant.objects.filter(pk=participant_pk, request=exchange_request).first()
        if participant is None:
            raise exceptions.NotFound()
        _require_participant_editor(request.user, exchange_request)
        if request.method == "DELETE":
            _run(services.participant_remove, participant=participant, actor=request.user)
            return Response(status=204)
        serializer = ParticipantWriteSerializer(participant, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        participant = _run(
            services.participant_update, participant=participant, actor=request.user, fields=serializer.validated_data
        )
        return Response(ParticipantSerializer(participant).data)

    # --- experts (expert assignments) ------------------------------------------------------------------------

    @extend_schema(
        summary="Experts of an assignment (GET) or shortlist one (POST, programme coordinator)",
        request=ShortlistSerializer,
        responses={
            200: ExpertSelectionSerializer(many=True),
            201: ExpertSelectionSerializer,
            **_errors(400, 403, 404, 409),
        },
    )
    # A request's own list, whole: not paginated nor filtered like the list of requests (the schema said it was).
    @action(
        detail=True, methods=["get", "post"], url_path="expert-selections", pagination_class=None, filter_backends=[]
    )
    def expert_selections(self, request, pk=None):
        exchange_request = self.get_object()
        if request.method == "GET":
            return Response(ExpertSelectionSerializer(exchange_request.expert_selections.all(), many=True).data)
        serializer = ShortlistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "profile" in data:
            selection = _run(
                services.expert_selection_shortlist,
                exchange_request=exchange_request,
                actor=request.user,
                profile_id=data["profile"],
            )
        else:
            selection = _run(
                services.expert_selection_add,
                exchange_request=exchange_request,
                actor=request.user,
                email=data["email"],
                provider_country=data["provider_country"],
            )
        return Response(ExpertSelectionSerializer(selection).data, status=201)

    def _selection(self, exchange_request, selection_pk) -> ExpertSelection:
        selection = next((s for s in exchange_request.expert_selections.all() if str(s.pk) == selection_pk), None)
        if selection is None:
            raise exceptions.NotFound()
        return selection

    @extend_schema(
        summary="Take a shortlisted member (not yet called) off the list (programme coordinator)",
        parameters=[SELECTION_ID],
        request=None,
        responses={204: None, **_errors(403, 404, 409)},
    )
    @action(detail=True, methods=["delete"], url_path=r"expert-selections/(?P<selection_pk>[0-9]+)")
    def expert_selection_remove(self, request, pk=None, selection_pk=None):
        exchange_request = self.get_object()
        selection = self._selection(exchange_request, selection_pk)
        _run(services.expert_selection_remove, selection=selection, actor=request.user)
        return Response(status=204)

    @extend_schema(
        summary="Select a member who answered interested (programme coordinator; one provider country)",
        parameters=[SELECTION_ID],
        request=None,
        responses={200: ExpertSelectionSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"expert-selections/(?P<selection_pk>[0-9]+)/select")
    def expert_selection_select(self, request, pk=None, selection_pk=None):
        exchange_request = self.get_object()
        selection = self._selection(exchange_request, selection_pk)
        selection = _run(services.expert_selection_select, selection=selection, actor=request.user)
        return Response(ExpertSelectionSerializer(selection).data)

    @extend_schema(
        summary="The called member answers: interested or not (only the member called, while selection is open)",
        parameters=[SELECTION_ID],
        request=AnswerSerializer,
        responses={200: ExpertSelectionSerializer, **_errors(400, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"expert-selections/(?P<selection_pk>[0-9]+)/answer",
        permission_classes=[IsAuthenticated],
    )
    def expert_selection_answer(self, request, pk=None, selection_pk=None):
        exchange_request = self.get_object()
        selection = self._selection(exchange_request, selection_pk)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        selection = _run(
            services.expert_selection_answer,
            selection=selection,
            actor=request.user,
            interested=serializer.validated_data["interested"],
        )
        return Response(ExpertSelectionSerializer(selection).data)

    @extend_schema(
        summary="Send the call to every shortlisted member: they become invited (programme coordinator)",
        request=None,
        responses={200: CallResultSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="calls")
    def calls(self, request, pk=None):
        exchange_request = self.get_object()
        invited = _run(services.expert_calls_send, exchange_request=exchange_request, actor=request.user)
        return Response({"invited": invited})

    @extend_schema(
        summary="Ranked candidates from the skills bank, with the reasons (programme coordinator); ``name``: only "
        "those it names, in either script or another spelling",
        parameters=[CandidateQuerySerializer],
        responses={200: ExpertCandidateSerializer(many=True), **_errors(400, 403, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="candidates",
        permission_classes=[HasRole(Role.COORDINATOR)],
        pagination_class=PortalPagination,
    )
    def candidates(self, request, pk=None):
        exchange_request = self.get_object()
        if exchange_request.kind != Kind.EXPERT_ASSIGNMENT:
            raise exceptions.NotFound()  # as the matching page: only an expert assignment has candidates
        query = CandidateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        name = query.validated_data.get("name", "")
        criteria = matching.criteria_for(exchange_request)
        page = self.paginate_queryset(matching.candidate_queryset(exchange_request, criteria, name=name))
        rows = matching.candidates_page(page, request=exchange_request, criteria=criteria, name=name)
        return self.get_paginated_response(ExpertCandidateSerializer(rows, many=True).data)

    # --- the schedule (programme coordinator) ----------------------------------------------------------------

    @extend_schema(
        summary="The schedule (GET), or record it (PUT, programme coordinator): an approved request becomes "
        "scheduled; a change to a scheduled one is a decision with its reason, sent to the participants and experts",
        request=ScheduleSerializer,
        responses={200: ScheduleSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "put"], url_path="schedule")
    def schedule(self, request, pk=None):
        exchange_request = self.get_object()
        if request.method == "GET":
            if not has_schedule(exchange_request):
                raise exceptions.NotFound()
            return Response(ScheduleSerializer(exchange_request.schedule).data)
        _require(
            can_schedule(request.user, exchange_request) or exchange_request.state not in SCHEDULABLE,
            _("Only a programme coordinator who did not draft the request schedules it."),
        )
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dates = data.pop("request", {})
        items = data.pop("items", None)
        comment = data.pop("comment", "")
        schedule = _run(
            services.schedule_save,
            exchange_request=exchange_request,
            actor=request.user,
            fields={**data, **dates},
            items=[dict(item) for item in items] if items is not None else None,
            comment=comment,
        )
        return Response(ScheduleSerializer(schedule).data)

    # --- after the exchange ----------------------------------------------------------------------------------

    @extend_schema(
        summary="The report (GET) or send it once the exchange is completed (POST, requesting focal point)",
        request=ExchangeReportSerializer,
        responses={200: ExchangeReportSerializer, 201: ExchangeReportSerializer, **_errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"], url_path="report")
    def report(self, request, pk=None):
        exchange_request = self.get_object()
        if request.method == "GET":
            if not has_report(exchange_request):
                raise exceptions.NotFound()
            return Response(ExchangeReportSerializer(exchange_request.report).data)
        _require(
            is_party(request.user, exchange_request, REQUESTER),
            _("Only a focal point of the requesting institution reports on the exchange."),
        )
        serializer = ExchangeReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = _run(
            services.report_submit,
            exchange_request=exchange_request,
            actor=request.user,
            fields=serializer.validated_data,
        )
        return Response(ExchangeReportSerializer(report).data, status=201)

    @extend_schema(
        summary="Evaluations (GET: all for the requester and coordinators, one's own otherwise) or send one (POST, "
        "participants and selected experts, once the exchange is completed)",
        request=ExchangeEvaluationSerializer,
        responses={
            200: ExchangeEvaluationSerializer(many=True),
            201: ExchangeEvaluationSerializer,
            **_errors(400, 403, 404, 409),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="evaluations",
        permission_classes=[IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def evaluations(self, request, pk=None):
        exchange_request = self.get_object()
        if request.method == "GET":
            evaluations = exchange_request.evaluations.all()
            sees_all = has_any_exchange_role(request.user) and (
                is_party(request.user, exchange_request, REQUESTER)
                or is_party(request.user, exchange_request, COORDINATOR)
            )
            if not sees_all:
                evaluations = [e for e in evaluations if e.author_id == request.user.pk]
            return Response(ExchangeEvaluationSerializer(evaluations, many=True).data)
        _require(
            evaluation_respondent(request.user, exchange_request) is not None,
            _("Only the participants and the selected experts evaluate the exchange."),
        )
        serializer = ExchangeEvaluationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = _run(
            services.evaluation_submit,
            exchange_request=exchange_request,
            actor=request.user,
            fields=serializer.validated_data,
        )
        return Response(ExchangeEvaluationSerializer(evaluation).data, status=201)
