"""Contacts and follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.navigation import safe_next
from apps.core.pagination import page_of
from apps.core.permissions import role_required

from .. import selectors, services
from ..forms import (
    FollowUpForm,
)
from ..permissions import (
    STAFF_ROLES,
    can_manage_follow_up,
)
from .common import PAGE_SIZE, audited_page, my_office


@role_required(*STAFF_ROLES)
def contact_list(request):
    office = my_office(request, request.GET.get("office"))
    contacts = selectors.contact_list(user=request.user, office=office)
    page = audited_page(request, contacts, records="contact", filters={"office": office.pk})
    return render(request, "offices/contact_list.html", {"office": office, "page": page})


@role_required(*STAFF_ROLES)
def follow_ups(request):
    mine = selectors.follow_ups_of(user=request.user)
    overdue = selectors.office_overdue_follow_ups(user=request.user) if manages_any(request.user) else None
    return render(
        request,
        "offices/follow_ups.html",
        {"page": page_of(request, mine, PAGE_SIZE), "overdue": overdue[:PAGE_SIZE] if overdue is not None else None},
    )


def manages_any(user) -> bool:
    return bool(selectors.manager_organisation_ids(user))


@require_POST
@role_required(*STAFF_ROLES)
def follow_up_done(request, pk: int):
    contact = selectors.contact_get(user=request.user, pk=pk)
    services.follow_up_complete(contact=contact, actor=request.user)
    messages.success(request, _("Follow-up marked as done."))
    return redirect(safe_next(request, reverse("offices:follow-ups")))


@role_required(*STAFF_ROLES)
def follow_up_edit(request, pk: int):
    """Reschedule or reassign one follow-up (the assignee or the office manager)."""
    contact = selectors.contact_get(user=request.user, pk=pk)
    if not can_manage_follow_up(request.user, contact):
        raise PermissionDenied
    if contact.follow_up_due is None:
        raise Http404
    form = FollowUpForm(
        request.POST or None,
        staff=selectors.office_staff(contact.office),
        initial={"follow_up_due": contact.follow_up_due, "follow_up_assignee": contact.follow_up_assignee_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(
                contact=contact,
                actor=request.user,
                due=form.cleaned_data["follow_up_due"],
                assignee=form.cleaned_data["follow_up_assignee"],
            )
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Follow-up updated."))
            return redirect(safe_next(request, reverse("offices:follow-ups")))
    return render(request, "offices/follow_up_form.html", {"form": form, "contact": contact})
