"""Paginating a list page: the one helper every list view uses."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_of(request, items, per_page: int) -> Page:
    """The page of ``items`` that ``?page=`` asks for (the last one when past the end, the first when garbled)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
