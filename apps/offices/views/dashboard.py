"""An office manager's dashboard and its CSV."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from apps.core.audit import audit_record
from apps.core.exports import spreadsheet_safe
from apps.core.permissions import role_required
from apps.core.roles import Role

from .. import selectors
from ..charts import dashboard_charts, dashboard_csv_lines
from ..models import Office
from ..permissions import (
    manages,
)
from .common import my_office


def _managed_office(request, office_id) -> Office:
    office = my_office(request, office_id)
    if not manages(request.user, office):
        raise PermissionDenied
    return office


@role_required(Role.OFFICE_MANAGER)
def dashboard(request):
    office = _managed_office(request, request.GET.get("office"))
    data = selectors.office_dashboard(office=office)
    return render(request, "offices/dashboard.html", {"office": office, **dashboard_charts(data)})


@role_required(Role.OFFICE_MANAGER)
def dashboard_csv(request):
    office = _managed_office(request, request.GET.get("office"))
    data = dashboard_charts(selectors.office_dashboard(office=office))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="office-{office.pk}-aggregates.csv"'
    writer = csv.writer(response)
    for line in dashboard_csv_lines(data):
        writer.writerow([spreadsheet_safe(cell) for cell in line])
    audit_record(actor=request.user, action="offices.dashboard.export", obj=office, request=request)
    return response
