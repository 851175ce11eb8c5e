"""Review pages of the offline intake: possible duplicates and edit conflicts found at sync.

Office staff only (403 for other roles); a review of another office, or of a client the user may not read, is
404. Decisions go through the offline services (merge through ``person_merge``, edits through
``person_update``), which audit them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import form_errors_from_service
from apps.core.permissions import role_required

from .. import selectors as office_selectors
from ..models import ReviewStatus
from ..permissions import STAFF_ROLES
from . import selectors, services
from .conflicts import display_value, field_label, person_values
from .forms import ConflictResolutionForm, DuplicateDecisionForm

# Values written left to right whatever the page's direction ("+221 70 000 00 00" read backwards otherwise).
LEFT_TO_RIGHT = ("phone", "email", "birth_date", "birth_year")


@role_required(*STAFF_ROLES)
def review_list(request):
    return render(
        request,
        "offices/offline/review_list.html",
        {
            "duplicates": selectors.pending_duplicates(user=request.user)[:100],
            "conflicts": selectors.pending_conflicts(user=request.user)[:100],
        },
    )


def _side(request, person):
    """One record of the comparison: the record (its read audited) and its history."""
    person = office_selectors.person_get(user=request.user, pk=person.pk, request=request)
    return {"person": person, "timeline": office_selectors.person_timeline(user=request.user, person=person)}


@role_required(*STAFF_ROLES)
def review_duplicate(request, pk: int):
    duplicate = selectors.sync_duplicate_get(user=request.user, pk=pk)
    candidates = selectors.duplicate_candidates(user=request.user, duplicate=duplicate)
    form = DuplicateDecisionForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        same_as = next((c for c in candidates if c.pk == form.cleaned_data.get("candidate")), None)
        try:
            services.sync_duplicate_decide(
                duplicate=duplicate,
                actor=request.user,
                same_as=same_as if form.cleaned_data["decision"] == form.SAME else None,
            )
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            merged = form.cleaned_data["decision"] == form.SAME
            messages.success(
                request,
                _("The two records are merged; both histories are kept.")
                if merged
                else _("The records are kept apart."),
            )
            return redirect("offices:offline-review")
    shown = next((c for c in candidates if str(c.pk) == request.GET.get("candidate")), None) or (
        candidates[0] if candidates else None
    )
    return render(
        request,
        "offices/offline/review_duplicate.html",
        {
            "duplicate": duplicate,
            "pending": duplicate.status == ReviewStatus.PENDING,
            "new": _side(request, duplicate.person),
            "match": _side(request, shown) if shown else None,
            "candidates": candidates,
            "form": form,
        },
    )


@role_required(*STAFF_ROLES)
def review_conflict(request, pk: int):
    conflict = selectors.sync_conflict_get(user=request.user, pk=pk)
    person = conflict.person
    form = ConflictResolutionForm(
        request.POST if request.method == "POST" else None, conflict=conflict, initial={"version": person.version}
    )
    if request.method == "POST" and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in conflict.changes}
        try:
            services.sync_conflict_resolve(
                conflict=conflict, actor=request.user, choices=choices, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            form_errors_from_service(form, exc)
            person.refresh_from_db()  # a change made meanwhile is shown, and the next submission is against it
            form.data = form.data.copy()
            form.data["version"] = person.version
        else:
            messages.success(request, _("Your choices are saved in the client's record."))
            return redirect("offices:offline-review")
    now = person_values(person, conflict.changes)
    rows = [
        {
            "name": name,
            "label": field_label(name),
            "in_conflict": name in conflict.fields,
            "ltr": name in LEFT_TO_RIGHT,
            "base": display_value(name, conflict.base.get(name)) if name in conflict.base else "—",
            "server": display_value(name, now.get(name)),
            "device": display_value(name, value),
            "field": form[name],
        }
        for name, value in conflict.changes.items()
    ]
    return render(
        request,
        "offices/offline/review_conflict.html",
        {
            "conflict": conflict,
            "person": person,
            "pending": conflict.status == ReviewStatus.PENDING,
            "rows": rows,
            "form": form,
        },
    )
