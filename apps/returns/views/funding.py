"""Funding opportunities: the public list and page, and the editors' list, forms and publishing."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.languages import missing_languages, missing_languages_text
from apps.core.pagination import page_of
from apps.core.permissions import role_required

from .. import selectors, services
from ..forms import (
    FundingFilterForm,
    FundingOpportunityForm,
)
from ..models import FundingOpportunity
from ..permissions import (
    EDITOR_ROLES,
    can_edit_content,
)
from .common import CONTENT_TEXTS, PAGE_SIZE, edit_page, filters_of, publish_page


def funding_list(request):
    form = FundingFilterForm(request.GET or None)
    page = page_of(request, selectors.funding_public_list(filters=filters_of(form)), PAGE_SIZE)
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
    page = page_of(request, selectors.funding_editor_list(user=request.user, filters=filters_of(form)), PAGE_SIZE)
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

    result = edit_page(
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


@require_POST
@role_required(*EDITOR_ROLES)
def editor_funding_publish(request, pk: int):
    opportunity = get_object_or_404(FundingOpportunity, pk=pk)
    return publish_page(
        request,
        opportunity,
        publish=lambda: services.funding_opportunity_publish(opportunity=opportunity, actor=request.user),
        done=_("Published. Matching members who agreed to e-mails will be alerted."),
        detail="returns:funding-detail",
    )
