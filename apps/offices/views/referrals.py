"""Referrals to partner organisations and their letters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import audit_record
from apps.core.forms import form_errors_from_service
from apps.core.pdf import render_pdf
from apps.core.permissions import role_required

from .. import selectors, services
from ..forms import (
    ReferralForm,
    ReferralStatusForm,
)
from ..permissions import (
    STAFF_ROLES,
    can_see_referrals,
    can_update_referral_status,
)
from .common import audited_page


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
    page = audited_page(request, referrals, records="referral", filters={"direction": direction})
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
