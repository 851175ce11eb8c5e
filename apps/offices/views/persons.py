"""Client records: the list, a person's page and timeline, editing and merging."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.permissions import role_required

from .. import selectors, services
from ..crypto import NotesUnreadableError, decrypt_notes
from ..forms import (
    MergeForm,
    PersonForm,
)
from ..permissions import (
    STAFF_ROLES,
    can_read_person,
    can_read_restricted,
)
from .common import audited_page


@role_required(*STAFF_ROLES)
def person_list(request):
    query = request.GET.get("q", "").strip()[:100]
    persons = selectors.person_list(user=request.user, query=query)
    page = audited_page(request, persons, records="person", filters={"q": query})
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
