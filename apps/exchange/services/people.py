"""Participants without a portal account: the portal writes to them and lets them evaluate without signing in.

**Messages.** The outreach pipeline delivers to accounts (consent, erasure and address holds are checked there), so a
participant whose address has no account gets one kept by the portal for that address: no password, no role,
their name and the language chosen for them. They are written to like everyone taking part (invitation with the
programme, reminder before the start, the link to evaluate, reminders until the deadline). The account is theirs
to claim: setting a password for the address (the invitation says how) opens "My exchanges" to them.

**Evaluating by link.** The link to evaluate is personal: signed by the portal (so it cannot be made up or
altered), naming one participant of one exchange and the address it was sent to. It is checked again on every use
against the request as it is now: it stops working when the participant is removed or their address changes, once
they have evaluated (one evaluation each), and when the evaluations close (the deadline, or the request closing).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core.audit import audit_record

from ..models import Evaluation, ExchangeRequest, Participant
from ..permissions import evaluation_open

LINK_SALT = "exchange.evaluation-link"
# A cap whatever the deadline (a link is never good for more than this); the deadline normally closes it first.
LINK_MAX_AGE = timedelta(days=365)


class EvaluationLinkError(Exception):
    """A link that cannot be used: ``invalid`` (made up, altered, or no longer naming a participant), ``expired``
    (the evaluations are closed) or ``used`` (the participant has evaluated)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def participant_language(participant: Participant) -> str:
    """The language of messages to a participant: the one chosen for them, else the exchange's working language
    when the portal speaks it, else the portal's default."""
    codes = {code for code, _name in settings.LANGUAGES}
    if participant.language in codes:
        return participant.language
    working = participant.request.working_language_id
    return working if working in codes else settings.LANGUAGE_CODE


def participant_account(participant: Participant) -> User | None:
    """The active account with the participant's address, if any."""
    return (
        User.objects.filter(email__iexact=participant.email, is_active=True, erased_at__isnull=True)
        .order_by("pk")
        .first()
    )


def participant_accounts_ensure(*, exchange_request: ExchangeRequest) -> list[User]:
    """Keep an account (no password, no role) for each participant whose address has none, so the portal can write
    to them. Returns the accounts created. Safe to repeat, and to run twice at once (the address is unique)."""
    created = []
    participants = exchange_request.participants.select_related("request")
    for participant in participants:
        if User.objects.filter(email__iexact=participant.email).exists():
            continue  # an account (active or not: an erased or closed one is never re-opened behind its owner)
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=participant.email.lower(),
                    password=None,
                    full_name=participant.name,
                    preferred_language=participant_language(participant),
                )
                audit_record(
                    actor=None,
                    action="exchange.participant_account",
                    obj=exchange_request,
                    summary=participant.name,
                    extra={"participant": participant.pk},
                )
        except IntegrityError:
            continue  # created by a concurrent run
        created.append(user)
    return created


def evaluation_link_token(participant: Participant) -> str:
    """The signed token of ``participant``'s personal link to evaluate their exchange."""
    payload = {"p": participant.pk, "r": participant.request_id, "e": participant.email.lower()}
    return signing.dumps(payload, salt=LINK_SALT, compress=True)


def evaluation_link_check(token: str) -> tuple[Participant, User]:
    """The participant a link is for and the account they evaluate as; :class:`EvaluationLinkError` otherwise."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise EvaluationLinkError("expired") from None
    except signing.BadSignature:
        raise EvaluationLinkError("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("r"), int):
        raise EvaluationLinkError("invalid")
    participant = (
        Participant.objects.select_related("request__schedule", "request__host_country")
        .filter(pk=data["p"], request_id=data["r"])
        .first()
    )
    if participant is None or participant.email.lower() != data.get("e"):
        raise EvaluationLinkError("invalid")
    account = participant_account(participant)
    if account is None:
        raise EvaluationLinkError("invalid")
    if Evaluation.objects.filter(request_id=participant.request_id, author=account).exists():
        raise EvaluationLinkError("used")
    if not evaluation_open(participant.request):
        raise EvaluationLinkError("expired")
    return participant, account


def evaluation_submit_by_link(*, token: str, fields: dict) -> Evaluation:
    """A participant evaluates through their personal link, without signing in: the same rules as on the page
    (once each, between completion and the deadline), checked again under the request's lock."""
    from . import TransitionConflictError
    from .after import evaluation_submit

    participant, account = evaluation_link_check(token)
    try:
        return evaluation_submit(exchange_request=participant.request, actor=account, fields=fields)
    except TransitionConflictError:
        evaluation_link_check(token)  # another use came first, or the evaluations just closed: say which
        raise
