"""Office staff (add, change role, end) and the offices themselves (managed in the portal)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.pagination import page_of
from apps.core.permissions import has_role, role_required
from apps.core.roles import Role

from .. import selectors, services
from ..forms import (
    OfficeForm,
    StaffAddForm,
    StaffRoleForm,
)
from ..models import Office
from ..permissions import (
    STAFF_ROLES,
    can_create_office,
    can_manage_staff,
    works_in,
)
from .common import PAGE_SIZE, int_or_404


def _staff_offices(user):
    """The offices whose staff ``user`` may manage: every office for an administrator, else the ones they manage."""
    offices = Office.objects.select_related("organisation", "country").order_by("organisation__name", "pk")
    if has_role(user, Role.ADMINISTRATOR):
        return offices
    return offices.filter(organisation_id__in=selectors.manager_organisation_ids(user))


def _chooses_office(user) -> bool:
    """Whether ``user`` may manage the staff of several offices: an administrator, or a manager of more than one."""
    return has_role(user, Role.ADMINISTRATOR) or _staff_offices(user)[:2].count() > 1


def _staff_office(request, office_id) -> Office:
    """The office whose staff the user manages: another office's manager 404, the office's counsellor 403.
    Without an office: a manager's one office; whoever may manage several has to name one (the page lists them)."""
    if not office_id:
        office = None if _chooses_office(request.user) else _staff_offices(request.user).first()
        if office is None:
            raise Http404
        return office
    office = get_object_or_404(Office.objects.select_related("organisation"), pk=int_or_404(office_id))
    if can_manage_staff(request.user, office):
        return office
    if works_in(request.user, office):
        raise PermissionDenied
    raise Http404


@role_required(Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
def staff(request):
    office_id = request.POST.get("office") or request.GET.get("office")
    if not office_id and request.method == "GET" and _chooses_office(request.user):
        return _staff_office_picker(request, _staff_offices(request.user))
    office = _staff_office(request, office_id)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.office_staff_add(office=office, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("%(name)s now works in this office.") % {"name": membership.user})
            return redirect(f"{reverse('offices:staff')}?office={office.pk}")
    return render(
        request,
        "offices/staff.html",
        {
            "office": office,
            "form": form,
            "memberships": selectors.office_staff_memberships(office=office),
            "history": selectors.office_staff_history(office=office),
            "role_form": StaffRoleForm(),
        },
    )


def _staff_office_picker(request, offices):
    """For whoever may manage several offices (an administrator: every one) and named none: pick one by name."""
    query = request.GET.get("q", "").strip()[:100]
    if query:
        offices = offices.filter(organisation__name__icontains=query)
    return render(
        request, "offices/staff.html", {"office": None, "page": page_of(request, offices, PAGE_SIZE), "query": query}
    )


def _staff_membership(request, pk: int):
    from apps.accounts.models import Membership

    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation__office"),
        pk=pk,
        role__in=STAFF_ROLES,
        organisation__office__isnull=False,
    )
    office = _staff_office(request, membership.organisation.office.pk)
    return office, membership


@require_POST
@role_required(Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
def staff_role(request, pk: int):
    office, membership = _staff_membership(request, pk)
    form = StaffRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["role"])
        services.office_staff_set_role(
            office=office, membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role changed."))
    return redirect(f"{reverse('offices:staff')}?office={office.pk}")


@require_POST
@role_required(Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
def staff_end(request, pk: int):
    office, membership = _staff_membership(request, pk)
    try:
        services.office_staff_end(office=office, membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Membership ended; it stays in the history."))
    return redirect(f"{reverse('offices:staff')}?office={office.pk}")


def _editable_offices(user):
    """Every office for an administrator, else the offices the user manages."""
    offices = Office.objects.select_related("organisation", "country").order_by("organisation__name", "pk")
    if can_create_office(user):
        return offices
    return offices.filter(organisation_id__in=selectors.manager_organisation_ids(user))


@role_required(Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
def office_manage(request):
    query = request.GET.get("q", "").strip()[:100]
    offices = _editable_offices(request.user)
    if query:
        offices = offices.filter(organisation__name__icontains=query)
    return render(
        request,
        "offices/office_list.html",
        {"page": page_of(request, offices, PAGE_SIZE), "query": query, "can_create": can_create_office(request.user)},
    )


@role_required(Role.ADMINISTRATOR)
def office_new(request):
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_open(actor=request.user, **form.changes())
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Office %(name)s created.") % {"name": office.name})
            return redirect("offices:office-edit", pk=office.pk)
    return render(request, "offices/office_form.html", {"form": form, "office": None})


@role_required(Role.OFFICE_MANAGER, Role.ADMINISTRATOR)
def office_edit(request, pk: int):
    office = get_object_or_404(_editable_offices(request.user).prefetch_related("languages"), pk=pk)
    form = OfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.office_update(office=office, actor=request.user, **form.changes())
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Office saved.") if changed else _("Nothing was changed."))
            return redirect("offices:office-edit", pk=office.pk)
    return render(request, "offices/office_form.html", {"form": form, "office": office})
