"""API of the offices app: the same selectors, services and permissions as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.core.idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_REUSED_RESPONSE, idempotent
from apps.core.permissions import HasRole

from .. import selectors, services
from ..permissions import (
    STAFF_ROLES,
    can_manage_follow_up,
    can_read_restricted,
    can_see_referrals,
    can_update_referral_status,
)
from .serializers import (
    ContactSerializer,
    FollowUpSerializer,
    OfficeSerializer,
    PersonListSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    ReferralSerializer,
    ReferralStatusSerializer,
)


class AuditedListMixin:
    """A list of personal records: each page read is one audit event with the filter and the count."""

    audit_records = ""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.list_read_audit(
            user=request.user,
            records=self.audit_records,
            filters=dict(request.query_params.items()),
            shown=len(page),
            total=self.paginator.page.paginator.count,
            request=request,
        )
        return self.get_paginated_response(self.serialize_page(page))

    def serialize_page(self, page) -> list:
        return self.get_serializer(page, many=True).data


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """Offices listed in the public finder (anyone may read them). ``?country=SN&type=migration_office``."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = OfficeSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.public_office_list(
            country=self.request.query_params.get("country", ""),
            office_type=self.request.query_params.get("type", ""),
        )


class PersonViewSet(
    AuditedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Clients of the user's offices. Vulnerability flags only for the counsellor and the office manager.

    The list gives what tells clients apart (``?q=`` a name in either script, a phone or an e-mail); the full
    record is read one at a time, and every read of either is audited."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = PersonSerializer
    permission_classes = [HasRole(*STAFF_ROLES)]
    audit_records = "person"

    def get_queryset(self):
        query = self.request.query_params.get("q", "").strip()[:100]
        return selectors.person_list(user=self.request.user, query=query)

    def _context_for(self, persons):
        return {"restricted": {p.pk: can_read_restricted(self.request.user, p) for p in persons}}

    @extend_schema(responses=PersonListSerializer(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def serialize_page(self, page) -> list:
        return PersonListSerializer(page, many=True).data

    def retrieve(self, request, *args, **kwargs):
        person = selectors.person_get(user=request.user, pk=_pk(kwargs["pk"]), request=request)
        context = {**self.get_serializer_context(), **self._context_for([person])}
        return Response(PersonSerializer(person, context=context).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_PARAMETER], responses={201: PersonSerializer, 422: IDEMPOTENCY_REUSED_RESPONSE}
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        office = data.pop("office")
        person = services.person_create(office=office, actor=request.user, **data)
        context = {**self.get_serializer_context(), **self._context_for([person])}
        return Response(PersonSerializer(person, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonUpdateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: PersonUpdateSerializer, 422: IDEMPOTENCY_REUSED_RESPONSE},
    )
    @idempotent
    def partial_update(self, request, *args, **kwargs):
        """Edit a client record. ``possible_duplicates`` lists other records the changed identity now matches."""
        person = selectors.person_get(user=request.user, pk=_pk(kwargs["pk"]), audit=False)
        serializer = PersonUpdateSerializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changed = services.person_update(person=person, actor=request.user, **changes)
        duplicates = []
        if set(changed) & {"name_latin", "name_arabic", "birth_year", "phone", "email"}:
            duplicates = selectors.person_duplicates(
                office=person.office,
                user=request.user,
                exclude_id=person.pk,
                name_latin=person.name_latin,
                name_arabic=person.name_arabic,
                birth_year=person.birth_year,
                phone=person.phone,
                email=person.email,
            )
        context = {**self.get_serializer_context(), **self._context_for([person])}
        data = PersonSerializer(person, context=context).data
        return Response({**data, "changed": changed, "possible_duplicates": [d.pk for d in duplicates]})


class ContactViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Contacts of the user's offices. Restricted notes are write-only here (read them on the person's page)."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = ContactSerializer
    permission_classes = [HasRole(*STAFF_ROLES)]
    audit_records = "contact"

    def get_queryset(self):
        return selectors.contact_list(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(ContactSerializer(selectors.contact_get(user=request.user, pk=_pk(kwargs["pk"]))).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_PARAMETER], responses={201: ContactSerializer, 422: IDEMPOTENCY_REUSED_RESPONSE}
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = selectors.person_get(user=request.user, pk=data.pop("person_id"), audit=False)
        contact = services.contact_log(person=person, actor=request.user, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ContactSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up/done")
    def follow_up_done(self, request, pk=None):
        """Mark the follow-up done (the assignee or the office manager), as the follow-ups page does."""
        contact = services.follow_up_complete(
            contact=selectors.contact_get(user=request.user, pk=_pk(pk)), actor=request.user
        )
        return Response(ContactSerializer(contact).data)

    @extend_schema(request=FollowUpSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["patch"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Reschedule (never into the past) and/or reassign (to staff of the office) an open follow-up."""
        contact = selectors.contact_get(user=request.user, pk=_pk(pk))
        if not can_manage_follow_up(request.user, contact):
            raise PermissionDenied
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.follow_up_update(
            contact=contact,
            actor=request.user,
            due=serializer.validated_data.get("follow_up_due"),
            assignee=serializer.validated_data.get("follow_up_assignee"),
        )
        return Response(ContactSerializer(contact).data)


class ReferralViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Referrals made by the user's offices and referrals made to the user's organisations."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, never a database error

    serializer_class = ReferralSerializer
    audit_records = "referral"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_see_referrals(request.user):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user, direction=self.request.query_params.get("direction", ""))

    def retrieve(self, request, *args, **kwargs):
        return Response(ReferralSerializer(selectors.referral_get(user=request.user, pk=_pk(kwargs["pk"]))).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = selectors.person_get(user=request.user, pk=data.pop("person_id"), audit=False)
        referral = services.referral_create(person=person, actor=request.user, **data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralStatusSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        referral = selectors.referral_get(user=request.user, pk=_pk(pk))
        if not can_update_referral_status(request.user, referral):
            raise PermissionDenied
        serializer = ReferralStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_set_status(
            referral=referral, actor=request.user, status=serializer.validated_data["status"]
        )
        return Response(ReferralSerializer(referral).data)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
