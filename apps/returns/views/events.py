"""Events: the public list and page, registration and evaluation for members, and the editors' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.languages import missing_languages, missing_languages_text
from apps.core.pagination import page_of
from apps.core.permissions import role_required

from .. import selectors, services
from ..forms import (
    EvaluationForm,
    EventFilterForm,
    EventForm,
)
from ..models import Event, EventRegistration
from ..permissions import (
    EDITOR_ROLES,
    can_edit_content,
    can_register_for_events,
)
from .common import CONTENT_TEXTS, PAGE_SIZE, edit_page, filters_of, publish_page


def event_list(request):
    form = EventFilterForm(request.GET or None)
    page = page_of(request, selectors.event_public_list(user=request.user, filters=filters_of(form)), PAGE_SIZE)
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
    result = edit_page(
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
    return publish_page(
        request,
        event,
        publish=lambda: services.event_publish(event=event, actor=request.user),
        done=_("Published."),
        detail="returns:event-detail",
    )


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
