"""Writes to return plans: creation, stages, referrals and matches with funding and vacancies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.offices.permissions import can_read_person

from ..models import FundingOpportunity, NetworkPartner, ReturnPlan, Vacancy
from ..permissions import can_manage_plan, plan_desk_ids
from ._common import apply

FIELDS = ["profile", "person", "kind", "destination_country", "destination_region", "sector", "idea", "needs"]

Stage = ReturnPlan.Stage
# The stages a plan may move to from each stage. A dropped plan may be taken up again.
TRANSITIONS: dict[str, set[str]] = {
    Stage.EXPLORING: {Stage.PREPARING, Stage.DROPPED},
    Stage.PREPARING: {Stage.EXPLORING, Stage.RETURNED, Stage.DROPPED},
    Stage.RETURNED: {Stage.REINTEGRATED, Stage.DROPPED},
    Stage.REINTEGRATED: set(),
    Stage.DROPPED: {Stage.EXPLORING},
}
# Plans still looking for funding and jobs.
OPEN_STAGES = (Stage.EXPLORING, Stage.PREPARING, Stage.RETURNED)


def _require_plan(actor, plan: ReturnPlan) -> None:
    if not can_manage_plan(actor, plan):
        raise PermissionDenied


def _check_person(actor, plan: ReturnPlan) -> None:
    """The client record must be one the actor may read (404 otherwise, as in the offices app), a client of the
    plan's desk, and not merged into another record."""
    person = plan.person
    if person is None:
        return
    if not can_read_person(actor, person):
        raise Http404
    if person.office.organisation_id != plan.desk_id:
        raise ValidationError({"person": _("This person is a client of another office.")})
    if person.merged_into_id:
        raise ValidationError({"person": _("This record was merged into another one; use that one.")})


def _save(plan: ReturnPlan) -> None:
    plan.needs = sorted(set(plan.needs or []))
    plan.full_clean()
    plan.save()


@transaction.atomic
def return_plan_create(*, actor, desk, data: dict) -> ReturnPlan:
    if desk is None or desk.pk not in plan_desk_ids(actor):
        raise PermissionDenied
    plan = ReturnPlan(desk=desk, created_by=actor)
    apply(plan, data, FIELDS)
    _check_person(actor, plan)
    _save(plan)
    audit_record(actor=actor, action="return_plan.create", obj=plan, summary=str(plan))
    return plan


@transaction.atomic
def return_plan_update(*, plan: ReturnPlan, actor, data: dict) -> ReturnPlan:
    _require_plan(actor, plan)
    person_before = plan.person_id
    apply(plan, data, FIELDS)
    if plan.person_id != person_before:
        _check_person(actor, plan)
    _save(plan)
    audit_record(actor=actor, action="return_plan.update", obj=plan, summary=str(plan))
    return plan


@transaction.atomic
def return_plan_set_stage(*, plan: ReturnPlan, actor, stage: str) -> ReturnPlan:
    _require_plan(actor, plan)
    plan = ReturnPlan.objects.select_for_update().get(pk=plan.pk)
    if stage not in TRANSITIONS.get(plan.stage, set()):
        raise ValidationError(
            {
                "stage": _("A plan cannot go from “%(current)s” to “%(stage)s”.")
                % {"current": plan.get_stage_display(), "stage": Stage(stage).label if stage in Stage.values else stage}
            }
        )
    previous = plan.stage
    plan.stage = stage
    plan.stage_changed_at = timezone.now()
    plan.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit_record(actor=actor, action="return_plan.stage", obj=plan, summary=f"{previous} → {stage}")
    return plan


@transaction.atomic
def return_plan_refer(*, plan: ReturnPlan, actor, partner: NetworkPartner) -> None:
    _require_plan(actor, plan)
    plan.referrals.add(partner)
    audit_record(actor=actor, action="return_plan.refer", obj=plan, summary=str(partner))


@transaction.atomic
def return_plan_match_vacancy(*, plan: ReturnPlan, actor, vacancy: Vacancy) -> None:
    _require_plan(actor, plan)
    if vacancy.closing_date < timezone.localdate():
        raise ValidationError(_("The closing date has already passed."))
    plan.matched_vacancies.add(vacancy)
    audit_record(actor=actor, action="return_plan.match_vacancy", obj=plan, summary=str(vacancy))


def return_plans_match_funding(*, opportunity: FundingOpportunity) -> int:
    """Attach a published opportunity to the open plans it fits (destination country, and sector unless the
    opportunity is open to every sector). Idempotent; returns how many plans were newly matched."""
    if opportunity.status != FundingOpportunity.Status.PUBLISHED:
        return 0
    plans = ReturnPlan.objects.filter(
        stage__in=OPEN_STAGES, destination_country__in=opportunity.countries.all()
    ).exclude(matched_funding=opportunity)
    sector_ids = list(opportunity.sectors.values_list("pk", flat=True))
    if sector_ids:
        plans = plans.filter(Q(sector__in=sector_ids))
    through = ReturnPlan.matched_funding.through
    rows = [
        through(returnplan_id=pk, fundingopportunity_id=opportunity.pk) for pk in plans.values_list("pk", flat=True)
    ]
    through.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def return_plans_follow_merge(*, keep, duplicate) -> None:
    """A desk's return plans follow the person they belong to when two client records are merged."""
    ReturnPlan.objects.filter(person=duplicate).update(person=keep)
