"""Pages of the offices app. Thin: parse with a form, call a selector or a service, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.core.audit import audit_record
from apps.core.exports import spreadsheet_safe
from apps.core.forms import form_errors_from_service
from apps.core.navigation import safe_next
from apps.core.pagination import page_of
from apps.core.pdf import render_pdf
from apps.core.permissions import has_role, role_required
from apps.core.ratelimit import ratelimit
from apps.core.roles import Role

from . import selectors, services
from .charts import dashboard_charts, dashboard_csv_lines
from .crypto import NotesUnreadableError, decrypt_notes
from .forms import (
    ContactImportForm,
    FollowUpForm,
    MergeForm,
    OfficeFinderForm,
    OfficeForm,
    PersonForm,
    QuickLogForm,
    ReferralForm,
    ReferralStatusForm,
    StaffAddForm,
    StaffRoleForm,
)
from .models import Office
from .permissions import (
    STAFF_ROLES,
    can_create_office,
    can_manage_follow_up,
    can_manage_staff,
    can_read_person,
    can_read_restricted,
    can_see_referrals,
    can_update_referral_status,
    manages,
    works_in,
)

PAGE_SIZE = 50


def _audited_page(request, queryset, *, records: str, filters: dict):
    """A page of a list of personal records, its read written to the audit log (one event, not one per row)."""
    page = page_of(request, queryset, PAGE_SIZE)
    selectors.list_read_audit(
        user=request.user,
        records=records,
        filters={**filters, "page": page.number},
        shown=len(page.object_list),
        total=page.paginator.count,
        request=request,
    )
    return page


def _my_office(request, office_id=None) -> Office:
    offices = selectors.offices_of(request.user)
    if office_id:
        return get_object_or_404(offices, pk=_int_or_404(office_id))
    office = offices.order_by("pk").first()
    if office is None:
        raise Http404
    return office


# Public office finder ---------------------------------------------------------------------------------------


@ratelimit(scope="office-finder", limit=60, period=60)
def finder(request):
    form = OfficeFinderForm(request.GET or None)
    country = office_type = ""
    if form.is_valid():
        country = form.cleaned_data["country"].pk if form.cleaned_data["country"] else ""
        office_type = form.cleaned_data["type"]
    offices = selectors.public_office_list(country=country, office_type=office_type)
    return render(request, "offices/finder.html", {"form": form, "page": page_of(request, offices, PAGE_SIZE)})


# Quick log --------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def quick_log(request):
    offices = selectors.offices_of(request.user)
    office = _my_office(request, request.POST.get("office") or request.GET.get("office"))
    persons = selectors.person_list(user=request.user, office=office)
    data = request.POST or None
    searching = request.method == "POST" and request.POST.get("find_person")
    if searching == "change":  # the client chosen is let go: the search and the new-client fields come back
        data = request.POST.copy()
        data["person"] = ""
    form = QuickLogForm(
        data,
        offices=offices,
        persons=persons,
        staff=selectors.office_staff(office),
        actor=request.user,
        initial={"office": office, "person": request.GET.get("person")},
    )
    matches = None
    if searching:  # the search without JavaScript: the same page, with the matching clients to choose from
        form.without_errors()
        query = request.POST.get("person_query", "")
        matches = _picker_read(request, office, query) if searching == "find" else None
    duplicates = []
    if request.method == "POST" and not searching and form.is_valid():
        person = form.cleaned_data["person"]
        use = request.POST.get("use_person", "")
        if person is None and use.isdigit():
            person = get_object_or_404(persons, pk=int(use))
        if person is None and not form.cleaned_data["confirm_new"]:
            data = form.new_person_data()
            duplicates = selectors.person_duplicates(
                office=office,
                user=request.user,
                name_latin=data["name_latin"],
                name_arabic=data["name_arabic"],
                birth_year=data["birth_year"],
                phone=data["phone"],
                email=data["email"],
            )
        if not duplicates:
            try:
                contact = services.contact_quick_log(
                    office=office,
                    actor=request.user,
                    person=person,
                    new_person=None if person else form.new_person_data(),
                    **form.contact_data(),
                )
            except ValidationError as exc:
                form_errors_from_service(form, exc)
            else:
                messages.success(request, _("Contact recorded for %(name)s.") % {"name": contact.person.display_name})
                return redirect("offices:person-detail", pk=contact.person_id)
    chosen = (
        None
        if matches is not None
        else selectors.person_choice(user=request.user, office=office, pk=form["person"].value())
    )
    return render(
        request,
        "offices/quick_log.html",
        {
            "form": form,
            "office": office,
            "duplicates": duplicates,
            "several_offices": offices.count() > 1,
            "chosen": chosen,
            "matches": matches,
        },
    )


def _picker_read(request, office, query: str) -> list:
    """The clients matching ``query`` in ``office``; the read is audited like any list of clients."""
    choices = selectors.person_picker(user=request.user, office=office, query=query)
    if len(query.strip()) >= selectors.PICKER_MIN_LENGTH:
        selectors.list_read_audit(
            user=request.user,
            records="person",
            filters={"q": query.strip()[:100], "office": office.pk, "picker": "quick-log"},
            shown=len(choices),
            total=len(choices),
            request=request,
        )
    return choices


@role_required(*STAFF_ROLES)
def person_picker(request):
    """The quick-log's type-ahead: ``?office=&q=`` → the matching clients of that office, as JSON."""
    office = _my_office(request, request.GET.get("office"))
    query = request.GET.get("q", "")
    choices = _picker_read(request, office, query)
    if len(query.strip()) < selectors.PICKER_MIN_LENGTH:
        message = ""
    elif choices:
        message = ngettext("%(count)d client found.", "%(count)d clients found.", len(choices)) % {
            "count": len(choices)
        }
    else:
        message = _("No client matches «%(query)s». Leave the search empty to add a new client.") % {
            "query": query.strip()[:100]
        }
    results = [{"id": c.pk, "name": c.name, "details": " · ".join(c.details)} for c in choices]
    return JsonResponse({"results": results, "message": message})


@role_required(*STAFF_ROLES)
def contact_import(request):
    from .importer import ImportFileError, contact_log_import, read_rows

    offices = selectors.offices_of(request.user)
    form = ContactImportForm(request.POST or None, request.FILES or None, offices=offices)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.name, upload.read())
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            report = contact_log_import(
                office=form.cleaned_data["office"], actor=request.user, rows=rows, dry_run=form.cleaned_data["dry_run"]
            )
    return render(request, "offices/import.html", {"form": form, "report": report})


# Persons ----------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def person_list(request):
    query = request.GET.get("q", "").strip()[:100]
    persons = selectors.person_list(user=request.user, query=query)
    page = _audited_page(request, persons, records="person", filters={"q": query})
    explanations = selectors.person_name_explanations(page, query) if query else {}
    for person in page:  # why a name in another script or spelling matched
        person.name_match = explanations.get(person.pk, "")
    return render(request, "offices/person_list.html", {"page": page, "query": query})


@role_required(*STAFF_ROLES)
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk, request=request)
    restricted = can_read_restricted(request.user, person)
    timeline = selectors.person_timeline(user=request.user, person=person)
    if restricted:
        for entry in timeline:
            if entry["kind"] == "contact" and entry["item"].notes_encrypted:
                try:
                    entry["notes"] = decrypt_notes(entry["item"].notes_encrypted)
                except NotesUnreadableError:
                    entry["notes"] = _("These notes cannot be decrypted with the configured keys.")
    duplicates = selectors.person_duplicates(
        office=person.office,
        user=request.user,
        name_latin=person.name_latin,
        name_arabic=person.name_arabic,
        birth_year=person.birth_year,
        phone=person.phone,
        email=person.email,
        exclude_id=person.pk,
    )
    return render(
        request,
        "offices/person_detail.html",
        {
            "person": person,
            "timeline": timeline,
            "restricted": restricted,
            "duplicates": duplicates,
            "merge_form": MergeForm(),
        },
    )


DUPLICATE_FIELDS = ("name_latin", "name_arabic", "birth_year", "phone", "email")


@role_required(*STAFF_ROLES)
def person_edit(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk, request=request)
    restricted = can_read_restricted(request.user, person)
    form = PersonForm(
        request.POST or None, instance=person, restricted=restricted, staff=selectors.office_staff(person.office)
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not form.cleaned_data["confirm_duplicates"] and any(
            changes[name] != getattr(person, name) for name in DUPLICATE_FIELDS
        ):
            duplicates = selectors.person_duplicates(
                office=person.office,
                user=request.user,
                exclude_id=person.pk,
                **{name: changes[name] or ("" if name != "birth_year" else None) for name in DUPLICATE_FIELDS},
            )
        if not duplicates:
            try:
                changed = services.person_update(person=person, actor=request.user, **changes)
            except ValidationError as exc:
                form_errors_from_service(form, exc)
            else:
                messages.success(request, _("Record saved.") if changed else _("Nothing was changed."))
                if not can_read_person(request.user, person):  # e.g. a flagged record handed to a colleague
                    return redirect("offices:person-list")
                return redirect("offices:person-detail", pk=person.pk)
    return render(
        request,
        "offices/person_form.html",
        {"form": form, "person": person, "duplicates": duplicates, "restricted": restricted},
    )


@require_POST
@role_required(*STAFF_ROLES)
def person_merge(request, pk: int):
    keep = selectors.person_get(user=request.user, pk=pk, request=request, audit=False)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the record number of the duplicate."))
        return redirect("offices:person-detail", pk=keep.pk)
    duplicate = selectors.person_get(user=request.user, pk=form.cleaned_data["duplicate"], audit=False)
    try:
        services.person_merge(keep=keep, duplicate=duplicate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The two records are merged; both histories are kept."))
    return redirect("offices:person-detail", pk=keep.pk)


# Contacts and follow-ups ------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def contact_list(request):
    office = _my_office(request, request.GET.get("office"))
    contacts = selectors.contact_list(user=request.user, office=office)
    page = _audited_page(request, contacts, records="contact", filters={"office": office.pk})
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


# Staff ------------------------------------------------------------------------------------------------------


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
    office = get_object_or_404(Office.objects.select_related("organisation"), pk=_int_or_404(office_id))
    if can_manage_staff(request.user, office):
        return office
    if works_in(request.user, office):
        raise PermissionDenied
    raise Http404


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


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


# Office management ------------------------------------------------------------------------------------------


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


# Referrals --------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def referral_create(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk, request=request)
    form = ReferralForm(request.POST or None, exclude_organisation_id=person.office.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Referral sent to %(organisation)s.") % {"organisation": referral.organisation})
            return redirect("offices:person-detail", pk=person.pk)
    return render(request, "offices/referral_form.html", {"form": form, "person": person})


def _referral_viewer(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not can_see_referrals(request.user):
        raise PermissionDenied
    return None


def referral_list(request):
    if (response := _referral_viewer(request)) is not None:
        return response
    direction = request.GET.get("direction", "")
    referrals = selectors.referral_list(user=request.user, direction=direction)
    page = _audited_page(request, referrals, records="referral", filters={"direction": direction})
    return render(request, "offices/referral_list.html", {"page": page, "direction": direction})


@require_POST
def referral_letters_batch(request):
    """Print the letters of the referrals listed (the newest 500) in the background, as one ZIP."""
    if (response := _referral_viewer(request)) is not None:
        return response
    from apps.core.pdf_batches import pdf_batch_request

    direction = request.POST.get("direction", "")
    batch = pdf_batch_request(
        user=request.user, kind="offices.referral-letters", params={"direction": direction}, request=request
    )
    return redirect("core:pdf-batch", pk=batch.pk)


def referral_detail(request, pk: int):
    if (response := _referral_viewer(request)) is not None:
        return response
    referral = selectors.referral_get(user=request.user, pk=pk)
    receiving = can_update_referral_status(request.user, referral)
    form = ReferralStatusForm(request.POST or None, initial={"status": referral.status})
    if request.method == "POST":
        if not receiving:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.referral_set_status(referral=referral, actor=request.user, status=form.cleaned_data["status"])
            except ValidationError as exc:
                form_errors_from_service(form, exc)
            else:
                messages.success(request, _("Referral status updated."))
                return redirect("offices:referral-detail", pk=referral.pk)
    person = selectors.referred_person_get(user=request.user, referral=referral, request=request)
    return render(
        request,
        "offices/referral_detail.html",
        {"referral": referral, "person": person, "form": form, "receiving": receiving},
    )


def referral_letter(request, pk: int):
    if (response := _referral_viewer(request)) is not None:
        return response
    referral = selectors.referral_get(user=request.user, pk=pk)
    person = selectors.referred_person_get(user=request.user, referral=referral, request=request)
    language = person.preferred_language
    pdf = render_pdf("offices/pdf/referral_letter.html", {"referral": referral, "person": person}, language=language)
    audit_record(actor=request.user, action="offices.referral.letter", obj=referral, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}-{language}.pdf"'
    return response


# Dashboard --------------------------------------------------------------------------------------------------


def _managed_office(request, office_id) -> Office:
    office = _my_office(request, office_id)
    if not manages(request.user, office):
        raise PermissionDenied
    return office


@role_required(Role.OFFICE_MANAGER)
def dashboard(request):
    office = _managed_office(request, request.GET.get("office"))
    data = selectors.office_dashboard(office=office)
    return render(request, "offices/dashboard.html", {"office": office, **dashboard_charts(data)})


@role_required(Role.OFFICE_MANAGER)
def dashboard_csv(request):
    office = _managed_office(request, request.GET.get("office"))
    data = dashboard_charts(selectors.office_dashboard(office=office))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="office-{office.pk}-aggregates.csv"'
    writer = csv.writer(response)
    for line in dashboard_csv_lines(data):
        writer.writerow([spreadsheet_safe(cell) for cell in line])
    audit_record(actor=request.user, action="offices.dashboard.export", obj=office, request=request)
    return response
