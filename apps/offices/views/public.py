"""The public office finder."""

from __future__ import annotations

from django.shortcuts import render

from apps.core.pagination import page_of
from apps.core.ratelimit import ratelimit

from .. import selectors
from ..forms import (
    OfficeFinderForm,
)
from .common import PAGE_SIZE


@ratelimit(scope="office-finder", limit=60, period=60)
def finder(request):
    form = OfficeFinderForm(request.GET or None)
    country = office_type = ""
    if form.is_valid():
        country = form.cleaned_data["country"].pk if form.cleaned_data["country"] else ""
        office_type = form.cleaned_data["type"]
    offices = selectors.public_office_list(country=country, office_type=office_type)
    return render(request, "offices/finder.html", {"form": form, "page": page_of(request, offices, PAGE_SIZE)})
