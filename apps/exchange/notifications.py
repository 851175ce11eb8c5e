"""Who is told what about exchange requests, in each recipient's language.

Messages leave through the outreach delivery pipeline (``notification_send``): one delivery row each, queued
after the transaction commits, sent once, in the recipient's language. Services call these functions from
``transaction.on_commit`` so a decision that rolls back tells nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from apps.outreach.services import notification_language, notification_send
from apps.skills.models import ConsentPurpose

from .models import Decision, ExchangeRequest, ExpertSelection


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
):
    """Queue ``exchange/email/<template>`` for ``user``, with the page's address (the request's unless
    ``url_name`` says otherwise) in their language."""
    request = context["request"]
    args = [request.pk] if url_name == "exchange:request-detail" else []
    with translation.override(notification_language(user)):
        url = _site_url() + reverse(url_name, args=args)
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
