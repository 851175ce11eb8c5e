"""Logging contacts: the quick-log, its keyboard person picker, and the contact import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.forms import form_errors_from_service
from apps.core.permissions import role_required

from .. import selectors, services
from ..forms import (
    ContactImportForm,
    QuickLogForm,
)
from ..permissions import (
    STAFF_ROLES,
)
from .common import my_office


@role_required(*STAFF_ROLES)
def quick_log(request):
    offices = selectors.offices_of(request.user)
    office = my_office(request, request.POST.get("office") or request.GET.get("office"))
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
    office = my_office(request, request.GET.get("office"))
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
    from ..importer import ImportFileError, contact_log_import, read_rows

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
