"""Who is told what about exchange requests, in each recipient's language.

Messages leave through the outreach delivery pipeline (``notification_send``): one delivery row each, queued
after the transaction commits, sent once, in the recipient's language. Services call these functions from
``transaction.on_commit`` so a decision that rolls back tells nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from apps.outreach.services import notification_language, notification_send
from apps.skills.models import ConsentPurpose

from .models import Certificate, Decision, ExchangeRequest, ExpertSelection, State


def _site_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")


def _send(
    user,
    template: str,
    context: dict,
    idempotency_key: str | None = None,
    *,
    url_name: str = "exchange:request-detail",
    consent_purpose: str = "",
    args: list | None = None,
):
    """Queue ``exchange/email/<template>`` for ``user``, with the page's address (the request's unless
    ``url_name`` and ``args`` say otherwise) in their language."""
    request = context["request"]
    if args is None:
        args = [request.pk] if url_name == "exchange:request-detail" else []
    with translation.override(notification_language(user)):
        url = _site_url() + reverse(url_name, args=args)
        if not user.has_usable_password():
            # An account the portal keeps for a participant's address: how to claim it (set a password).
            context = {**context, "claim_url": _site_url() + reverse("account_reset_password")}
    return notification_send(
        user=user,
        kind=f"exchange_{template}",
        template=f"exchange/email/{template}",
        context={**context, "recipient": user, "url": url},
        idempotency_key=idempotency_key,
        consent_purpose=consent_purpose,
    )


def notify_next_deciders(*, request_id: int, reminder: bool = False) -> int:
    """Tell the people whose turn it is that the request waits for them (or remind them)."""
    from .selectors import next_deciders

    request = ExchangeRequest.objects.select_related("requesting_country", "host_country").get(pk=request_id)
    recipients = next_deciders(request)
    # One "your turn" per person and state the request enters; reminders repeat by design.
    last = request.decisions.order_by("-pk").values_list("pk", flat=True).first() or 0
    for user in recipients:
        key = None if reminder else f"exchange:{request.pk}:turn:{last}:{user.pk}"
        _send(user, "reminder" if reminder else "your_turn", {"request": request}, idempotency_key=key)
    return len(recipients)


def notify_requester(*, request_id: int, decision_id: int) -> bool:
    """Tell the requester (the focal point who drafted the request) about a decision taken by someone else."""
    decision = Decision.objects.select_related("request__created_by").get(pk=decision_id, request_id=request_id)
    requester = decision.request.created_by
    if decision.actor_id == requester.pk:
        return False
    _send(
        requester,
        "decision",
        {"request": decision.request, "decision": decision},
        idempotency_key=f"exchange:{request_id}:decision:{decision_id}",
    )
    return True


def notify_expert_call(*, selection_id: int):
    """Send a member the call for experts of a request they were shortlisted for (once per request and member).

    The call rests on the member's consent to be contacted for expert missions: without it nothing is sent."""
    selection = ExpertSelection.objects.select_related(
        "expert", "request__requesting_institution", "request__requesting_country", "request__working_language"
    ).get(pk=selection_id)
    request = selection.request
    return _send(
        selection.expert,
        "expert_call",
        {"request": request, "selection": selection},
        idempotency_key=f"exchange:{request.pk}:call:{selection.expert_id}",
        url_name="exchange:my-calls",
        consent_purpose=ConsentPurpose.EXPERT_CONTACT,
    )


# --- the people taking part (participants and selected experts) ---------------------------------------------------


def people_taking_part(request: ExchangeRequest) -> list:
    """The accounts of the participants (found by their e-mail address) and of the selected experts, once each.

    A participant whose address has no account gets one kept by the portal first (``services.people``), so
    everyone taking part is written to."""
    from apps.accounts.models import User

    from .services.people import participant_accounts_ensure

    participant_accounts_ensure(exchange_request=request)

    emails = [email.lower() for email in request.participants.values_list("email", flat=True)]
    expert_ids = list(
        request.expert_selections.filter(status=ExpertSelection.Status.SELECTED).values_list("expert_id", flat=True)
    )
    accounts = User.objects.filter(is_active=True, erased_at__isnull=True).order_by("pk")
    people = {user.pk: user for user in accounts.filter(pk__in=expert_ids)}
    if emails:
        by_address = Q()
        for email in emails:
            by_address |= Q(email__iexact=email)
        for user in accounts.filter(by_address):
            people.setdefault(user.pk, user)
    return sorted(people.values(), key=lambda user: user.pk)


def _scheduled_request(request_id: int) -> ExchangeRequest:
    return (
        ExchangeRequest.objects.select_related("requesting_institution", "host_country", "host_institution", "schedule")
        .prefetch_related("schedule__items", "participants")
        .get(pk=request_id)
    )


# What the people taking part are told after each decision, and the page the message links to.
PEOPLE_MESSAGES = {
    "schedule": ("invitation", "exchange:request-detail"),
    "reschedule": ("schedule_changed", "exchange:request-detail"),
    "cancel": ("cancelled", "exchange:request-detail"),
    "complete": ("evaluate", "exchange:request-evaluate"),
    "end_early": ("evaluate", "exchange:request-evaluate"),
}


def _evaluation_page(request: ExchangeRequest, user, links: dict[str, str]) -> tuple[str, list]:
    """Where ``user`` evaluates: a participant without an account of their own (the one the portal keeps for them
    has no password) by their personal link; everyone who signs in, on the page."""
    token = links.get((user.email or "").lower())
    if token is not None and not user.has_usable_password():
        return "exchange:evaluate-link", [token]
    return "exchange:request-evaluate", [request.pk]


def _evaluation_links(request: ExchangeRequest) -> dict[str, str]:
    """Each participant's personal link to evaluate (its token), by their address in lower case."""
    from .services.people import evaluation_link_token

    return {p.email.lower(): evaluation_link_token(p) for p in request.participants.all()}


def notify_people(*, request_id: int, decision_id: int) -> int:
    """Tell the participants and experts what the decision means for them: the invitation with the programme when
    scheduled, the new schedule, a cancellation, the link to evaluate once completed. Once per decision and person."""
    decision = Decision.objects.get(pk=decision_id, request_id=request_id)
    message = PEOPLE_MESSAGES.get(decision.action)
    if message is None or (decision.action == "cancel" and decision.from_state != State.SCHEDULED):
        return 0
    template, url_name = message
    request = _scheduled_request(request_id)
    people = people_taking_part(request)
    links = _evaluation_links(request) if url_name == "exchange:request-evaluate" else {}
    for user in people:
        page, args = _evaluation_page(request, user, links) if links else (url_name, [request_id])
        _send(
            user,
            template,
            {"request": request, "decision": decision},
            idempotency_key=f"exchange:{request_id}:{decision.action}:{decision_id}:{user.pk}",
            url_name=page,
            args=args,
        )
    return len(people)


def notify_start_reminder(*, request_id: int) -> int:
    """Remind the people taking part that the exchange starts soon (once per person and start date)."""
    request = _scheduled_request(request_id)
    if request.state != State.SCHEDULED:
        return 0
    people = people_taking_part(request)
    for user in people:
        key = f"exchange:{request_id}:starts:{request.start_date.isoformat()}:{user.pk}"
        _send(user, "starts_soon", {"request": request}, idempotency_key=key)
    return len(people)


def notify_evaluation_reminder(*, request_id: int) -> int:
    """Remind the participants and experts who have not evaluated yet, with the link and the deadline."""
    from .permissions import evaluation_deadline

    request = _scheduled_request(request_id)
    evaluated = set(request.evaluations.values_list("author_id", flat=True))
    people = [user for user in people_taking_part(request) if user.pk not in evaluated]
    deadline = evaluation_deadline(request)
    links = _evaluation_links(request)
    for user in people:
        page, args = _evaluation_page(request, user, links)
        _send(user, "evaluation_reminder", {"request": request, "deadline": deadline}, url_name=page, args=args)
    return len(people)


def notify_certificate(*, certificate_id: int):
    """Send a participant or an expert the link to their certificate (once)."""
    certificate = Certificate.objects.select_related("request", "holder").get(pk=certificate_id)
    if certificate.holder is None:
        return None
    return _send(
        certificate.holder,
        "certificate",
        {"request": certificate.request, "certificate": certificate},
        idempotency_key=f"exchange:certificate:{certificate.code}",
        url_name="exchange:my-exchanges",
    )
