"""Shared by the offices pages: the page size, an audited page of personal records, the user's office."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.core.pagination import page_of

from .. import selectors
from ..models import Office

PAGE_SIZE = 50


def audited_page(request, queryset, *, records: str, filters: dict):
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


def my_office(request, office_id=None) -> Office:
    offices = selectors.offices_of(request.user)
    if office_id:
        return get_object_or_404(offices, pk=int_or_404(office_id))
    office = offices.order_by("pk").first()
    if office is None:
        raise Http404
    return office


def int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
