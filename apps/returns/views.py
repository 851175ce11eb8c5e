from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.languages import missing_languages, missing_languages_text
from apps.core.navigation import safe_next, url_in_language
from apps.core.pagination import page_of
from apps.core.permissions import role_required
from apps.core.ratelimit import ratelimit
from apps.offices.permissions import can_read_person
from apps.offices.selectors import person_get

from . import matching, selectors, services
from .forms import (
    EditorSheetFilterForm,
    EvaluationForm,
    EventFilterForm,
    EventForm,
    FundingFilterForm,
    FundingOpportunityForm,
    InfoSheetFilterForm,
    InfoSheetForm,
    PartnerFilterForm,
    ReturnPlanFilterForm,
    ReturnPlanForm,
    ReturnPlanReferForm,
    ReturnPlanStageForm,
    SheetHandoutForm,
    VacancyFilterForm,
    VacancyForm,
    VacancyImportForm,
)
from .models import Event, EventRegistration, FundingOpportunity, InfoSheet, ReturnPlan, Vacancy
from .permissions import (
    DIRECTORY_ROLES,
    EDITOR_ROLES,
    OFFICE_ROLES,
    can_edit_content,
    can_edit_vacancies,
    can_register_for_events,
    plan_desk_ids,
)

PAGE_SIZE = 20


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _language_links(request, languages: list[str]) -> list[dict]:
    names = dict(settings.LANGUAGES)
    return [{"code": code, "name": names[code], "url": url_in_language(request.path, code)} for code in languages]


# Information library ----------------------------------------------------------------------------------------


@ratelimit(scope="library-search", limit=60, period=60)
def info_sheet_list(request):
    language = get_language()
    form = InfoSheetFilterForm(request.GET or None)
    page = page_of(request, selectors.info_sheet_public_list(language=language, filters=_filters(form)), PAGE_SIZE)
    names = dict(settings.LANGUAGES)
    for sheet in page:
        sheet.languages = sheet.available_languages()
        sheet.missing_here = language not in sheet.languages
        detail = reverse("returns:info-sheet-detail", args=[sheet.pk])
        sheet.other_languages = [
            {
                "code": code,
                "name": names[code],
                "title": getattr(sheet, f"title_{code}"),
                "url": url_in_language(detail, code),
            }
            for code in sheet.languages
        ]
    return render(request, "returns/info_sheet_list.html", {"form": form, "page": page})


def info_sheet_detail(request, pk: int):
    sheet = selectors.info_sheet_get(user=request.user, pk=pk)
    language = get_language()
    available = sheet.available_languages()
    context = {
        "sheet": sheet,
        "missing_here": language not in available,
        "language_name": dict(settings.LANGUAGES)[language],
        "offered": _language_links(request, [code for code in available if code != language]),
        "sources": [line.strip() for line in sheet.sources.splitlines() if line.strip()],
        "can_edit": can_edit_content(request.user),
    }
    return render(request, "returns/info_sheet_detail.html", context)


@role_required(*EDITOR_ROLES)
def editor_sheet_list(request):
    form = EditorSheetFilterForm(request.GET or None)
    queryset = selectors.info_sheet_editor_list(user=request.user, language=get_language(), filters=_filters(form))
    page = page_of(request, queryset, PAGE_SIZE)
    for sheet in page:
        sheet.languages = sheet.available_languages()
    return render(
        request, "returns/editor/sheet_list.html", {"form": form, "page": page, "today": timezone.localdate()}
    )


def _edit(request, *, form_class, instance, save, title, cancel_url, template="returns/editor/form.html"):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Saved."))
            return obj
    return render(request, template, {"form": form, "title": title, "cancel_url": cancel_url})


@role_required(*EDITOR_ROLES)
def editor_sheet_edit(request, pk: int | None = None):
    sheet = get_object_or_404(InfoSheet, pk=pk) if pk else None
    if sheet is None:
        result = _edit(
            request,
            form_class=InfoSheetForm,
            instance=None,
            save=lambda data: services.info_sheet_create(actor=request.user, data=data),
            title=_("New information sheet"),
            cancel_url=reverse("returns:editor-sheet-list"),
        )
    else:
        result = _edit(
            request,
            form_class=InfoSheetForm,
            instance=sheet,
            save=lambda data: services.info_sheet_update(sheet=sheet, actor=request.user, data=data),
            title=_("Edit information sheet"),
            cancel_url=reverse("returns:editor-sheet-list"),
        )
    if isinstance(result, InfoSheet):
        return redirect("returns:info-sheet-detail", pk=result.pk)
    return result


@require_POST
@role_required(*EDITOR_ROLES)
def editor_sheet_reviewed(request, pk: int):
    sheet = get_object_or_404(InfoSheet, pk=pk)
    services.info_sheet_mark_reviewed(sheet=sheet, actor=request.user)
    messages.success(request, _("Marked as reviewed today."))
    return redirect(safe_next(request, reverse("returns:editor-sheet-list")))


# Funding ----------------------------------------------------------------------------------------------------


def funding_list(request):
    form = FundingFilterForm(request.GET or None)
    page = page_of(request, selectors.funding_public_list(filters=_filters(form)), PAGE_SIZE)
    return render(request, "returns/funding_list.html", {"form": form, "page": page})


def funding_detail(request, pk: int):
    opportunity = selectors.funding_get(user=request.user, pk=pk)
    can_edit = can_edit_content(request.user)
    missing = missing_languages(opportunity, CONTENT_TEXTS) if can_edit else []
    return render(
        request,
        "returns/funding_detail.html",
        {"opportunity": opportunity, "can_edit": can_edit, "missing_languages": missing_languages_text(missing)},
    )


@role_required(*EDITOR_ROLES)
def editor_funding_list(request):
    form = FundingFilterForm(request.GET or None)
    page = page_of(request, selectors.funding_editor_list(user=request.user, filters=_filters(form)), PAGE_SIZE)
    return render(request, "returns/editor/funding_list.html", {"form": form, "page": page})


@role_required(*EDITOR_ROLES)
def editor_funding_edit(request, pk: int | None = None):
    opportunity = get_object_or_404(FundingOpportunity, pk=pk) if pk else None

    def save(data):
        fields = {k: v for k, v in data.items() if k not in ("countries", "sectors")}
        if opportunity is None:
            return services.funding_opportunity_create(
                actor=request.user, data=fields, countries=data["countries"], sectors=data["sectors"]
            )
        return services.funding_opportunity_update(
            opportunity=opportunity,
            actor=request.user,
            data=fields,
            countries=data["countries"],
            sectors=data["sectors"],
        )

    result = _edit(
        request,
        form_class=FundingOpportunityForm,
        instance=opportunity,
        save=save,
        title=_("New funding opportunity") if opportunity is None else _("Edit funding opportunity"),
        cancel_url=reverse("returns:editor-funding-list"),
    )
    if isinstance(result, FundingOpportunity):
        return redirect("returns:funding-detail", pk=result.pk)
    return result


# The texts a funding opportunity or an event has in each language; publishing with one missing asks first.
CONTENT_TEXTS = ("title", "description")


def _publishing_incomplete(request, obj) -> bool:
    """True (with a message naming the languages missing) when ``obj`` lacks a language and the editor did not
    tick "publish anyway" on the publish form."""
    missing = missing_languages(obj, CONTENT_TEXTS)
    if not missing or request.POST.get("publish_incomplete"):
        return False
    messages.error(
        request,
        _("Not published yet: there is no text in %(languages)s. Add it, or tick this box to publish without it.")
        % {"languages": missing_languages_text(missing)},
    )
    return True


@require_POST
@role_required(*EDITOR_ROLES)
def editor_funding_publish(request, pk: int):
    opportunity = get_object_or_404(FundingOpportunity, pk=pk)
    if _publishing_incomplete(request, opportunity):
        return redirect("returns:funding-detail", pk=pk)
    try:
        services.funding_opportunity_publish(opportunity=opportunity, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Published. Matching members who agreed to e-mails will be alerted."))
    return redirect("returns:funding-detail", pk=pk)


# Network partners and vacancies -----------------------------------------------------------------------------


@role_required(*DIRECTORY_ROLES)
def partner_directory(request):
    form = PartnerFilterForm(request.GET or None)
    page = page_of(request, selectors.partner_directory(filters=_filters(form)), PAGE_SIZE)
    return render(request, "returns/partner_directory.html", {"form": form, "page": page})


@role_required(*DIRECTORY_ROLES)
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None)
    page = page_of(request, selectors.vacancy_list(filters=_filters(form)), PAGE_SIZE)
    return render(
        request,
        "returns/vacancy_list.html",
        {"form": form, "page": page, "can_edit": can_edit_vacancies(request.user)},
    )


@role_required(*OFFICE_ROLES)
def vacancy_edit(request, pk: int | None = None):
    vacancy = get_object_or_404(Vacancy, pk=pk) if pk else None
    result = _edit(
        request,
        form_class=VacancyForm,
        instance=vacancy,
        save=(
            (lambda data: services.vacancy_create(actor=request.user, data=data))
            if vacancy is None
            else (lambda data: services.vacancy_update(vacancy=vacancy, actor=request.user, data=data))
        ),
        title=_("New vacancy") if vacancy is None else _("Edit vacancy"),
        cancel_url=reverse("returns:vacancy-list"),
    )
    if isinstance(result, Vacancy):
        return redirect("returns:vacancy-list")
    return result


@role_required(*OFFICE_ROLES)
def vacancy_import(request):
    form = VacancyImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.vacancies_import_csv(actor=request.user, text=form.cleaned_data["file"])
        except ValidationError as exc:
            form_errors_from_service(form, exc)
    return render(request, "returns/vacancy_import.html", {"form": form, "report": report})


# Events -----------------------------------------------------------------------------------------------------


def event_list(request):
    form = EventFilterForm(request.GET or None)
    page = page_of(request, selectors.event_public_list(user=request.user, filters=_filters(form)), PAGE_SIZE)
    return render(request, "returns/event_list.html", {"form": form, "page": page})


def event_detail(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    context = {
        "event": event,
        "places_left": max(event.capacity - event.registered_count, 0),
        "can_register": can_register_for_events(request.user),
        "can_edit": can_edit_content(request.user),
    }
    if context["can_edit"]:
        context["missing_languages"] = missing_languages_text(missing_languages(event, CONTENT_TEXTS))
    return render(request, "returns/event_detail.html", context)


@require_POST
@login_required
def event_register(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    if not can_register_for_events(request.user):
        raise PermissionDenied
    try:
        registration = services.event_register(event=event, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if registration.status == EventRegistration.Status.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request, _("The event is full: you are on the waiting list and will get a place if one frees up.")
            )
    return redirect("returns:event-detail", pk=pk)


@require_POST
@login_required
def event_cancel_registration(request, pk: int):
    registration = EventRegistration.objects.filter(event_id=pk, user=request.user).first()
    if registration is None:
        raise Http404
    services.event_registration_cancel(registration=registration, actor=request.user)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect("returns:event-detail", pk=pk)


@login_required
def my_events(request):
    registrations = selectors.event_member_registrations(user=request.user)
    return render(request, "returns/my_events.html", {"registrations": registrations})


@login_required
def event_evaluate(request, pk: int):
    registration = EventRegistration.objects.select_related("event").filter(event_id=pk, user=request.user).first()
    if registration is None:
        raise Http404
    if registration.attended is not True:
        raise PermissionDenied
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_evaluation_submit(registration=registration, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("returns:my-events")
    return render(request, "returns/event_evaluate.html", {"form": form, "event": registration.event})


@role_required(*EDITOR_ROLES)
def editor_event_list(request):
    page = page_of(request, selectors.event_editor_list(user=request.user), PAGE_SIZE)
    return render(request, "returns/editor/event_list.html", {"page": page})


@role_required(*EDITOR_ROLES)
def editor_event_edit(request, pk: int | None = None):
    event = get_object_or_404(Event, pk=pk) if pk else None
    result = _edit(
        request,
        form_class=EventForm,
        instance=event,
        save=(
            (lambda data: services.event_create(actor=request.user, data=data))
            if event is None
            else (lambda data: services.event_update(event=event, actor=request.user, data=data))
        ),
        title=_("New event") if event is None else _("Edit event"),
        cancel_url=reverse("returns:editor-event-list"),
    )
    if isinstance(result, Event):
        return redirect("returns:event-detail", pk=result.pk)
    return result


@require_POST
@role_required(*EDITOR_ROLES)
def editor_event_publish(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if _publishing_incomplete(request, event):
        return redirect("returns:event-detail", pk=pk)
    try:
        services.event_publish(event=event, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Published."))
    return redirect("returns:event-detail", pk=pk)


@role_required(*EDITOR_ROLES)
def editor_event_registrations(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if request.method == "POST":
        attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        services.event_attendance_record(event=event, actor=request.user, attended_ids=attended)
        messages.success(request, _("Attendance saved."))
        return redirect("returns:editor-event-registrations", pk=pk)
    context = {
        "event": event,
        "registrations": selectors.event_registrations(event=event),
        "results": selectors.event_evaluation_results(event=event),
    }
    return render(request, "returns/editor/event_registrations.html", context)


# Return plans -----------------------------------------------------------------------------------------------


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
    page = page_of(request, selectors.return_plan_list(user=request.user, filters=_filters(form)), PAGE_SIZE)
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


# Labour matching --------------------------------------------------------------------------------------------


@role_required(*OFFICE_ROLES)
def vacancy_matches(request, pk: int):
    vacancy = matching.vacancy_match_get(user=request.user, pk=pk)
    context = {
        "vacancy": vacancy,
        "profiles": matching.profile_matches(user=request.user, vacancy=vacancy),
        "plans": matching.plan_matches(user=request.user, vacancy=vacancy),
    }
    return render(request, "returns/vacancy_matches.html", context)


@role_required(*OFFICE_ROLES)
def profile_vacancies(request, pk: int):
    from apps.skills.models import DiasporaProfile
    from apps.skills.permissions import can_view_profile

    profile = DiasporaProfile.objects.filter(pk=pk).first()
    if profile is None or not can_view_profile(request.user, profile):
        raise Http404
    context = {"profile": profile, "vacancies": matching.vacancies_for_profile(profile=profile)}
    return render(request, "returns/profile_vacancies.html", context)
