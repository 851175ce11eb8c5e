"""Return plans at a desk (pipeline, form, page, stage and referral actions) and a desk's client (plans, counselling
sessions, sheets handed out)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.navigation import safe_next
from apps.core.pagination import page_of
from apps.core.permissions import role_required
from apps.offices.permissions import can_read_person
from apps.offices.selectors import person_get

from .. import matching, selectors, services
from ..forms import (
    ReturnPlanFilterForm,
    ReturnPlanForm,
    ReturnPlanReferForm,
    ReturnPlanStageForm,
    SheetHandoutForm,
)
from ..models import ReturnPlan, Vacancy
from ..permissions import (
    OFFICE_ROLES,
    plan_desk_ids,
)
from .common import PAGE_SIZE, filters_of


def _desks(user):
    from apps.core.permissions import active_memberships

    desk_ids = plan_desk_ids(user)
    return sorted({m.organisation for m in active_memberships(user) if m.organisation_id in desk_ids}, key=str)


def _mark_readable_persons(user, plans) -> None:
    """A plan's client is named only to staff who may read the client record (offices rules)."""
    for plan in plans:
        plan.person_readable = plan.person is not None and can_read_person(user, plan.person)


@role_required(*OFFICE_ROLES)
def plan_pipeline(request):
    form = ReturnPlanFilterForm(request.GET or None)
    page = page_of(request, selectors.return_plan_list(user=request.user, filters=filters_of(form)), PAGE_SIZE)
    _mark_readable_persons(request.user, page)
    context = {"form": form, "page": page, "pipeline": selectors.return_plan_pipeline(user=request.user)}
    return render(request, "returns/plan_pipeline.html", context)


@role_required(*OFFICE_ROLES)
def plan_edit(request, pk: int | None = None):
    plan = selectors.return_plan_get(user=request.user, pk=pk) if pk else None
    desks = _desks(request.user)
    person = None
    person_id = request.POST.get("person") or request.GET.get("person") or ""
    if plan is None and person_id:
        if not person_id.isdigit():
            raise Http404
        person = person_get(user=request.user, pk=int(person_id), request=request)
    form = ReturnPlanForm(request.POST or None, instance=plan, desks=desks, person=person)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "desk"}
        try:
            if plan is None:
                plan = services.return_plan_create(actor=request.user, desk=form.cleaned_data["desk"], data=data)
            else:
                plan = services.return_plan_update(plan=plan, actor=request.user, data=data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("returns:plan-detail", pk=plan.pk)
    if plan is not None:
        title, cancel = _("Edit return plan"), reverse("returns:plan-detail", args=[plan.pk])
    elif person is not None:
        title = _("New return plan for %(person)s") % {"person": person.display_name}
        cancel = reverse("returns:person-detail", args=[person.pk])
    else:
        title, cancel = _("New return plan"), reverse("returns:plan-pipeline")
    return render(request, "returns/editor/form.html", {"form": form, "title": title, "cancel_url": cancel})


@role_required(*OFFICE_ROLES)
def plan_detail(request, pk: int):
    plan = selectors.return_plan_get(user=request.user, pk=pk)
    allowed = services.plans.TRANSITIONS[plan.stage]
    stage_form = ReturnPlanStageForm()
    stage_form.fields["stage"].choices = [(s, label) for s, label in ReturnPlan.Stage.choices if s in allowed]
    _mark_readable_persons(request.user, [plan])
    context = {
        "plan": plan,
        "stage_form": stage_form if allowed else None,
        "refer_form": ReturnPlanReferForm(),
        "suggested_vacancies": matching.vacancies_for_plan(plan=plan),
        "contacts": selectors.person_contacts(user=request.user, person=plan.person, request=request),
    }
    return render(request, "returns/plan_detail.html", context)


@require_POST
@role_required(*OFFICE_ROLES)
def plan_action(request, pk: int, action: str):
    plan = selectors.return_plan_get(user=request.user, pk=pk)
    try:
        if action == "stage":
            form = ReturnPlanStageForm(request.POST)
            if form.is_valid():
                services.return_plan_set_stage(plan=plan, actor=request.user, stage=form.cleaned_data["stage"])
        elif action == "refer":
            form = ReturnPlanReferForm(request.POST)
            if form.is_valid():
                services.return_plan_refer(plan=plan, actor=request.user, partner=form.cleaned_data["partner"])
        elif action == "match-vacancy":
            vacancy_id = request.POST.get("vacancy", "")
            if not vacancy_id.isdigit():
                raise Http404
            vacancy = get_object_or_404(Vacancy, pk=vacancy_id)
            services.return_plan_match_vacancy(plan=plan, actor=request.user, vacancy=vacancy)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect(safe_next(request, reverse("returns:plan-detail", args=[pk])))


# A desk's client: plans, counselling sessions, sheets handed out, vacancies that fit ------------------------


@role_required(*OFFICE_ROLES)
def person_detail(request, pk: int):
    person = person_get(user=request.user, pk=pk, request=request, audit=False)
    context = {
        "person": person,
        "plans": selectors.person_return_plans(user=request.user, person=person),
        "contacts": selectors.person_contacts(user=request.user, person=person, request=request),
        "vacancies": matching.vacancies_for_person(person=person),
    }
    return render(request, "returns/person_detail.html", context)


@role_required(*OFFICE_ROLES)
def contact_sheets(request, pk: int):
    contact = selectors.handout_contact_get(user=request.user, pk=pk)
    form = SheetHandoutForm(request.POST or None, sheets=selectors.sheets_to_hand_out())
    back = safe_next(request, reverse("returns:person-detail", args=[contact.person_id]))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_sheets_hand_out(contact=contact, actor=request.user, sheets=form.cleaned_data["sheets"])
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("The sheets handed out are on record."))
            return redirect(back)
    return render(request, "returns/contact_sheets.html", {"contact": contact, "form": form, "back": back})
