"""The information library: sheets for members in each language, and the editors' list and forms."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import safe_next, url_in_language
from apps.core.pagination import page_of
from apps.core.permissions import role_required
from apps.core.ratelimit import ratelimit

from .. import selectors, services
from ..forms import (
    EditorSheetFilterForm,
    InfoSheetFilterForm,
    InfoSheetForm,
)
from ..models import InfoSheet
from ..permissions import (
    EDITOR_ROLES,
    can_edit_content,
)
from .common import PAGE_SIZE, edit_page, filters_of, language_links


@ratelimit(scope="library-search", limit=60, period=60)
def info_sheet_list(request):
    language = get_language()
    form = InfoSheetFilterForm(request.GET or None)
    page = page_of(request, selectors.info_sheet_public_list(language=language, filters=filters_of(form)), PAGE_SIZE)
    names = dict(settings.LANGUAGES)
    for sheet in page:
        sheet.languages = sheet.available_languages()
        sheet.missing_here = language not in sheet.languages
        detail = reverse("returns:info-sheet-detail", args=[sheet.pk])
        sheet.other_languages = [
            {
                "code": code,
                "name": names[code],
                "title": getattr(sheet, f"title_{code}"),
                "url": url_in_language(detail, code),
            }
            for code in sheet.languages
        ]
    return render(request, "returns/info_sheet_list.html", {"form": form, "page": page})


def info_sheet_detail(request, pk: int):
    sheet = selectors.info_sheet_get(user=request.user, pk=pk)
    language = get_language()
    available = sheet.available_languages()
    context = {
        "sheet": sheet,
        "missing_here": language not in available,
        "language_name": dict(settings.LANGUAGES)[language],
        "offered": language_links(request, [code for code in available if code != language]),
        "sources": [line.strip() for line in sheet.sources.splitlines() if line.strip()],
        "can_edit": can_edit_content(request.user),
    }
    return render(request, "returns/info_sheet_detail.html", context)


@role_required(*EDITOR_ROLES)
def editor_sheet_list(request):
    form = EditorSheetFilterForm(request.GET or None)
    queryset = selectors.info_sheet_editor_list(user=request.user, language=get_language(), filters=filters_of(form))
    page = page_of(request, queryset, PAGE_SIZE)
    for sheet in page:
        sheet.languages = sheet.available_languages()
    return render(
        request, "returns/editor/sheet_list.html", {"form": form, "page": page, "today": timezone.localdate()}
    )


@role_required(*EDITOR_ROLES)
def editor_sheet_edit(request, pk: int | None = None):
    sheet = get_object_or_404(InfoSheet, pk=pk) if pk else None
    if sheet is None:
        result = edit_page(
            request,
            form_class=InfoSheetForm,
            instance=None,
            save=lambda data: services.info_sheet_create(actor=request.user, data=data),
            title=_("New information sheet"),
            cancel_url=reverse("returns:editor-sheet-list"),
        )
    else:
        result = edit_page(
            request,
            form_class=InfoSheetForm,
            instance=sheet,
            save=lambda data: services.info_sheet_update(sheet=sheet, actor=request.user, data=data),
            title=_("Edit information sheet"),
            cancel_url=reverse("returns:editor-sheet-list"),
        )
    if isinstance(result, InfoSheet):
        return redirect("returns:info-sheet-detail", pk=result.pk)
    return result


@require_POST
@role_required(*EDITOR_ROLES)
def editor_sheet_reviewed(request, pk: int):
    sheet = get_object_or_404(InfoSheet, pk=pk)
    services.info_sheet_mark_reviewed(sheet=sheet, actor=request.user)
    messages.success(request, _("Marked as reviewed today."))
    return redirect(safe_next(request, reverse("returns:editor-sheet-list")))
