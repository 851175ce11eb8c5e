"""Reads of exchange requests, already scoped to what the user may see, with a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from apps.accounts.models import User
from apps.core.models import Country
from apps.core.permissions import has_role, scoped_country_codes, scoped_organisation_ids
from apps.core.roles import Role

from .models import Certificate, Decision, ExchangeRequest, ExpertSelection, Participant, State
from .permissions import (
    COORDINATOR,
    HOST_APPROVER,
    REQUESTER,
    REQUESTING_APPROVER,
    can_view,
    states_waiting_for,
    waiting_party,
)


def visible_q(user) -> Q:
    """The requests ``user`` may see (the same rule as :func:`permissions.can_view`, as a query)."""
    focal_orgs = scoped_organisation_ids(user, Role.FOCAL_POINT)
    q = Q(requesting_institution_id__in=focal_orgs) if focal_orgs else Q(pk__in=[])
    submitted = ~Q(state=State.DRAFT)
    if has_role(user, Role.COORDINATOR):
        return q | submitted
    countries = scoped_country_codes(user, Role.APPROVER)
    if countries:
        q |= submitted & (Q(requesting_country_id__in=countries) | Q(host_country_id__in=countries))
    q |= submitted & Q(pk__in=ExpertSelection.objects.filter(expert_id=user.pk).values("request_id"))
    if user.email:
        q |= submitted & Q(pk__in=Participant.objects.filter(email__iexact=user.email).values("request_id"))
    return q


def _base() -> QuerySet[ExchangeRequest]:
    return ExchangeRequest.objects.select_related(
        "requesting_institution", "requesting_country", "host_country", "host_institution", "working_language"
    ).annotate(participant_count=Count("participants", distinct=True))


def exchange_request_list(*, user, filters: dict | None = None) -> QuerySet[ExchangeRequest]:
    filters = filters or {}
    qs = _base().filter(visible_q(user))
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("requesting_country"):
        qs = qs.filter(requesting_country_id=filters["requesting_country"])
    if filters.get("host_country"):
        qs = qs.filter(host_country_id=filters["host_country"])
    return qs.order_by("-created_at", "-id")


def waiting_q(user) -> Q:
    """Requests whose next step is the user's to take (the waiting states of ``permissions.STEPS``, per party)."""
    focal_orgs = scoped_organisation_ids(user, Role.FOCAL_POINT)
    countries = scoped_country_codes(user, Role.APPROVER)
    not_mine = ~Q(created_by_id=user.pk)
    scopes = {
        REQUESTER: Q(requesting_institution_id__in=focal_orgs) if focal_orgs else None,
        REQUESTING_APPROVER: Q(requesting_country_id__in=countries) & not_mine if countries else None,
        HOST_APPROVER: Q(host_country_id__in=countries) & not_mine if countries else None,
        COORDINATOR: not_mine if has_role(user, Role.COORDINATOR) else None,
    }
    q = Q(pk__in=[])
    for party, scope in scopes.items():
        if scope is not None:
            q |= Q(state__in=states_waiting_for(party)) & scope
    return q


def exchange_request_waiting_for(*, user) -> QuerySet[ExchangeRequest]:
    return _base().filter(visible_q(user)).filter(waiting_q(user)).order_by("state_changed_at", "id")


def exchange_request_calendar(*, user) -> QuerySet[ExchangeRequest]:
    return _base().filter(visible_q(user), state=State.SCHEDULED).order_by("start_date", "id")


def country_pair_counts(*, user) -> list[dict]:
    """Number of visible requests per (requesting country, host country), with country names in the user's language.

    Two queries whatever the number of requests.
    """
    rows = list(
        ExchangeRequest.objects.filter(visible_q(user))
        .values("requesting_country_id", "host_country_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    codes = {row["requesting_country_id"] for row in rows} | {row["host_country_id"] for row in rows}
    countries = Country.objects.in_bulk(codes) if codes else {}
    pairs = [
        {
            "requesting_country": countries[row["requesting_country_id"]],
            "host_country": countries[row["host_country_id"]],
            "total": row["total"],
        }
        for row in rows
    ]
    return sorted(pairs, key=lambda pair: (str(pair["requesting_country"]), str(pair["host_country"])))


def exchange_request_detail(*, user, pk: int) -> ExchangeRequest:
    """One request with everything its page shows, or 404 when the user may not see it."""
    request = (
        ExchangeRequest.objects.select_related(
            "requesting_institution",
            "requesting_country",
            "host_country",
            "host_institution",
            "working_language",
            "created_by",
            "report",
            "schedule",
        )
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("country")),
            Prefetch(
                "expert_selections", queryset=ExpertSelection.objects.select_related("expert", "provider_country")
            ),
            Prefetch("decisions", queryset=Decision.objects.order_by("created_at", "id")),
            "languages_sought",
            "skills",
            "evaluations",
            "schedule__items",
            "certificates",
        )
        .filter(pk=pk)
        .first()
    )
    if request is None or not can_view(user, request):
        raise Http404
    return request


def next_deciders(request: ExchangeRequest) -> list[User]:
    """The people whose turn it is on ``request`` (never its drafter)."""
    party = waiting_party(request.state)
    if party == REQUESTING_APPROVER:
        q = Q(memberships__role=Role.APPROVER, memberships__organisation__country_id=request.requesting_country_id)
    elif party == HOST_APPROVER:
        q = Q(memberships__role=Role.APPROVER, memberships__organisation__country_id=request.host_country_id)
    elif party == COORDINATOR:
        q = Q(memberships__role=Role.COORDINATOR)
    else:
        return []
    return list(
        User.objects.filter(q, memberships__is_active=True, is_active=True, erased_at__isnull=True)
        .exclude(pk=request.created_by_id)
        .distinct()
        .order_by("pk")
    )


def expert_calls_for(*, user) -> QuerySet[ExpertSelection]:
    """The calls ``user`` was sent (or open calls they offered themselves for), newest first, with their request."""
    return (
        ExpertSelection.objects.filter(expert_id=user.pk)
        .exclude(status=ExpertSelection.Status.SHORTLISTED)
        .select_related(
            "provider_country",
            "request__requesting_institution",
            "request__requesting_country",
            "request__host_country",
            "request__working_language",
        )
        .order_by("-created_at", "-id")
    )


def my_exchanges(*, user) -> list[dict]:
    """The exchanges ``user`` takes part in (as a participant, by e-mail address, or as a selected expert), soonest
    first, each with what they can do now: evaluate, download their certificate. A constant number of queries."""
    from .permissions import can_evaluate, evaluation_deadline

    taking_part = Q(pk__in=ExpertSelection.objects.filter(expert_id=user.pk, status="selected").values("request_id"))
    if user.email:
        taking_part |= Q(pk__in=Participant.objects.filter(email__iexact=user.email).values("request_id"))
    requests = list(
        _base()
        .filter(taking_part)
        .exclude(state__in=[State.DRAFT, State.RETURNED, State.WITHDRAWN])
        .select_related("schedule")
        .prefetch_related("participants", "expert_selections", "evaluations")
        .order_by("-start_date", "-id")
    )
    certificates = {
        certificate.request_id: certificate
        for certificate in Certificate.objects.filter(
            request__in=requests, holder_email__iexact=user.email or "-"
        ).only("pk", "code", "request_id")
    }
    return [
        {
            "request": request,
            "can_evaluate": can_evaluate(user, request),
            "evaluation_deadline": evaluation_deadline(request),
            "evaluated": any(e.author_id == user.pk for e in request.evaluations.all()),
            "certificate": certificates.get(request.pk),
        }
        for request in requests
    ]


def certificate_verify(*, code: str):
    """The certificate with this code (with its exchange), or None."""
    return (
        Certificate.objects.select_related(
            "request__host_country", "request__requesting_country", "request__host_institution"
        )
        .filter(code=code)
        .first()
    )


# Averages of fewer evaluations than this are not shown (small numbers identify people), as in the reports.
EVALUATION_AVERAGES_MIN = 5


def evaluation_summary(request: ExchangeRequest) -> dict:
    """How many of the people taking part have evaluated, and the averages once there are enough of them."""
    from django.db.models import Avg

    evaluations = request.evaluations.all()
    emails = {p.email.lower() for p in request.participants.all()}
    experts = {s.expert_id for s in request.expert_selections.all() if s.status == "selected"}
    count = len(evaluations)
    summary: dict[str, Any] = {"count": count, "expected": len(emails) + len(experts), "averages": None}
    if count >= EVALUATION_AVERAGES_MIN:
        summary["averages"] = request.evaluations.aggregate(
            usefulness=Avg("usefulness"), organisation=Avg("organisation")
        )
    return summary


def participants_without_account(request: ExchangeRequest) -> list[Participant]:
    """Participants the portal cannot write to: no active account has their e-mail address."""
    emails = [p.email.lower() for p in request.participants.all()]
    if not emails:
        return []
    known = {
        email.lower()
        for email in User.objects.filter(is_active=True, erased_at__isnull=True)
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .values_list("email", flat=True)
    }
    return [p for p in request.participants.all() if p.email.lower() not in known]
