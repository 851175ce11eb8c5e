"""Network partners and vacancies (list, edit, CSV import), and labour matching between vacancies, profiles and
return plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.forms import form_errors_from_service
from apps.core.pagination import page_of
from apps.core.permissions import role_required

from .. import matching, selectors, services
from ..forms import (
    PartnerFilterForm,
    VacancyFilterForm,
    VacancyForm,
    VacancyImportForm,
)
from ..models import Vacancy
from ..permissions import (
    DIRECTORY_ROLES,
    OFFICE_ROLES,
    can_edit_vacancies,
)
from .common import PAGE_SIZE, edit_page, filters_of


@role_required(*DIRECTORY_ROLES)
def partner_directory(request):
    form = PartnerFilterForm(request.GET or None)
    page = page_of(request, selectors.partner_directory(filters=filters_of(form)), PAGE_SIZE)
    return render(request, "returns/partner_directory.html", {"form": form, "page": page})


@role_required(*DIRECTORY_ROLES)
def vacancy_list(request):
    form = VacancyFilterForm(request.GET or None)
    page = page_of(request, selectors.vacancy_list(filters=filters_of(form)), PAGE_SIZE)
    return render(
        request,
        "returns/vacancy_list.html",
        {"form": form, "page": page, "can_edit": can_edit_vacancies(request.user)},
    )


@role_required(*OFFICE_ROLES)
def vacancy_edit(request, pk: int | None = None):
    vacancy = get_object_or_404(Vacancy, pk=pk) if pk else None
    result = edit_page(
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
