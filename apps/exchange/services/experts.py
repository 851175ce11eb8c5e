"""The experts of an expert assignment: shortlist (from the matching or by e-mail), calls, answers, selection.

Statuses: ``shortlisted`` → (call sent) ``invited`` → (the member answers) ``interested`` / ``not_interested`` →
(the coordinator) ``selected``. A member may also offer themselves from the open calls (``interested`` at once).
Every function locks the request row, so two coordinators (or a coordinator and a member) never interleave.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.skills.models import DiasporaProfile

from .. import matching, notifications
from ..models import ExchangeRequest, ExpertSelection, Kind, State
from ..permissions import ANSWERABLE_STATUSES, EXPERT_SELECTION_STATES, can_manage_experts, can_view
from . import TransitionConflictError, _lock

Status = ExpertSelection.Status


def _check_can_manage_experts(exchange_request: ExchangeRequest, actor: User) -> None:
    if not can_view(actor, exchange_request):
        raise Http404
    if not can_manage_experts(actor, exchange_request):
        if exchange_request.kind != Kind.EXPERT_ASSIGNMENT:
            raise ValidationError({"email": [_("Only an expert assignment has experts.")]})
        if exchange_request.state not in (State.SUBMITTED, State.ENDORSED, State.ACCEPTED):
            raise TransitionConflictError(_("Experts can only be changed before the request is approved."))
        raise PermissionDenied(_("Only a programme coordinator who did not draft the request selects experts."))


def _locked_selection(selection: ExpertSelection) -> tuple[ExchangeRequest, ExpertSelection]:
    locked = _lock(selection.request)
    current = ExpertSelection.objects.filter(pk=selection.pk, request=locked).select_related("provider_country").first()
    if current is None:
        raise Http404
    return locked, current


def _provider_country_of(profile: DiasporaProfile, exchange_request: ExchangeRequest) -> str:
    """The request's provider country when the member lives there or is a national, else their own country."""
    wanted = matching.provider_country_id(exchange_request)
    if wanted and wanted in (profile.residence_country_id, profile.nationality_id):
        return wanted
    country = profile.residence_country_id or profile.nationality_id
    if not country:
        raise ValidationError(
            {"provider_country": [_("This member's profile has no country of residence or nationality.")]}
        )
    return country


@transaction.atomic
def expert_selection_add(
    *, exchange_request: ExchangeRequest, actor: User, email: str, provider_country
) -> ExpertSelection:
    """The coordinator shortlists an expert found outside the matching (a portal user, by e-mail)."""
    locked = _lock(exchange_request)
    _check_can_manage_experts(locked, actor)
    expert = User.objects.filter(email__iexact=email.strip(), is_active=True, erased_at__isnull=True).first()
    if expert is None:
        raise ValidationError({"email": [_("No portal account has this e-mail address.")]})
    if locked.expert_selections.filter(expert=expert).exists():
        raise ValidationError({"email": [_("This expert is already on the list.")]})
    selection = ExpertSelection(request=locked, expert=expert, provider_country=provider_country)
    selection.full_clean()
    selection.save()
    audit_record(actor=actor, action="exchange.expert_add", obj=locked, subject=expert)
    return selection


@transaction.atomic
def expert_selection_shortlist(*, exchange_request: ExchangeRequest, actor: User, profile_id: int) -> ExpertSelection:
    """The coordinator shortlists a candidate of the matching (a profile that may be contacted for missions)."""
    locked = _lock(exchange_request)
    _check_can_manage_experts(locked, actor)
    profile = matching.expert_contact_profiles().filter(pk=profile_id).first()
    if profile is None:
        raise ValidationError({"profile": [_("This member cannot be contacted for expert missions.")]})
    if locked.expert_selections.filter(expert_id=profile.user_id).exists():
        raise ValidationError({"profile": [_("This expert is already on the list.")]})
    selection = ExpertSelection(
        request=locked,
        expert_id=profile.user_id,
        provider_country_id=_provider_country_of(profile, locked),
        status=Status.SHORTLISTED,
    )
    selection.full_clean()
    selection.save()
    audit_record(actor=actor, action="exchange.expert_shortlist", obj=locked, summary=str(profile.user_id))
    return selection


@transaction.atomic
def expert_selection_remove(*, selection: ExpertSelection, actor: User) -> None:
    """Take a member off the shortlist, before a call was sent to them."""
    locked, current = _locked_selection(selection)
    _check_can_manage_experts(locked, actor)
    if current.status != Status.SHORTLISTED:
        raise TransitionConflictError(_("Only a member who has not been called yet can be taken off the list."))
    current.delete()
    audit_record(actor=actor, action="exchange.expert_remove", obj=locked, summary=str(current.expert_id))


@transaction.atomic
def expert_calls_send(*, exchange_request: ExchangeRequest, actor: User) -> int:
    """Call every shortlisted member: they become ``invited`` and get the call in their language (after commit)."""
    locked = _lock(exchange_request)
    _check_can_manage_experts(locked, actor)
    shortlisted = list(locked.expert_selections.filter(status=Status.SHORTLISTED).order_by("id"))
    if not shortlisted:
        raise ValidationError({"selections": [_("Shortlist at least one member before sending the call.")]})
    now = timezone.now()
    for selection in shortlisted:
        selection.status = Status.INVITED
        selection.invited_at = now
        selection.save(update_fields=["status", "invited_at", "updated_at"])
        selection_id = selection.pk
        transaction.on_commit(partial(notifications.notify_expert_call, selection_id=selection_id))
    audit_record(actor=actor, action="exchange.expert_call", obj=locked, summary=str(len(shortlisted)))
    return len(shortlisted)


@transaction.atomic
def expert_selection_answer(*, selection: ExpertSelection, actor: User, interested: bool) -> ExpertSelection:
    """The invited member answers the call (and may change their answer while the selection is open)."""
    locked, current = _locked_selection(selection)
    if current.expert_id != actor.pk:
        raise Http404
    if locked.state not in EXPERT_SELECTION_STATES:
        raise TransitionConflictError(_("The selection of experts for this request is closed."))
    if current.status not in ANSWERABLE_STATUSES:
        raise TransitionConflictError(_("This call can no longer be answered."))
    current.status = Status.INTERESTED if interested else Status.NOT_INTERESTED
    current.answered_at = timezone.now()
    current.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(actor=actor, action="exchange.expert_answer", obj=locked, summary=current.status)
    return current


@transaction.atomic
def expert_selection_offer(*, exchange_request: ExchangeRequest, actor: User) -> ExpertSelection:
    """A member says "I'm interested" in an open call that fits their profile; the coordinator sees them."""
    locked = _lock(exchange_request)
    if locked.expert_selections.filter(expert_id=actor.pk).exists():
        raise TransitionConflictError(_("You are already on the list of this request."))
    if matching.open_call_fit(user=actor, request=locked) is None:
        raise Http404
    profile = matching.expert_contact_profiles().get(user_id=actor.pk)
    now = timezone.now()
    selection = ExpertSelection(
        request=locked,
        expert=actor,
        provider_country_id=_provider_country_of(profile, locked),
        status=Status.INTERESTED,
        answered_at=now,
    )
    selection.full_clean()
    selection.save()
    audit_record(actor=actor, action="exchange.expert_offer", obj=locked)
    return selection


@transaction.atomic
def expert_selection_select(*, selection: ExpertSelection, actor: User) -> ExpertSelection:
    """The coordinator selects a member who answered "interested"; all selected experts share a provider country."""
    locked, current = _locked_selection(selection)
    _check_can_manage_experts(locked, actor)
    if current.status != Status.INTERESTED:
        raise ValidationError({"status": [_("Only a member who answered “interested” can be selected.")]})
    other = (
        locked.expert_selections.filter(status=Status.SELECTED)
        .exclude(provider_country_id=current.provider_country_id)
        .select_related("provider_country")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "provider_country": [
                    _(
                        "The experts of an assignment all come from one provider country: the experts already "
                        "selected come from %(selected)s, this member from %(country)s."
                    )
                    % {"selected": other.provider_country, "country": current.provider_country}
                ]
            }
        )
    current.status = Status.SELECTED
    current.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="exchange.expert_select", obj=locked, summary=str(current.expert_id))
    return current
