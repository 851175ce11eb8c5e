from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_bidi

from apps.core.db import reads_from_replica
from apps.core.permissions import role_required

from . import framework
from .charts import chart
from .exports import export_csv, export_xlsx
from .forms import ReportFilterForm
from .framework import Filters
from .permissions import ANY_REPORT_ROLES, can_export_report, can_view_report
from .selectors import report_run, reports_for
from .services import report_export_record


def _report_or_404(request, slug):
    """An unknown report is 404; a report the user's role does not cover is 403."""
    report = framework.get(slug)
    if report is None:
        raise Http404
    if not can_view_report(request.user, report):
        raise PermissionDenied
    return report


def _charts(result, rtl: bool) -> list[dict]:
    return [{"result": table, "svg": chart(table, rtl=rtl, chart_id=f"chart-{table.key}")} for table in result.tables]


@role_required(*ANY_REPORT_ROLES)
@reads_from_replica
def dashboard(request):
    rtl = get_language_bidi()
    cards = []
    for report in reports_for(request.user):
        result = report_run(report=report, filters=Filters(), user=request.user)
        first = result.tables[0]
        cards.append(
            {
                "report": report,
                "result": result,
                "table": first,
                "svg": chart(first, rtl=rtl, chart_id=f"chart-{report.slug}-{first.key}"),
            }
        )
    return render(request, "reports/dashboard.html", {"cards": cards})


@role_required(*ANY_REPORT_ROLES)
@reads_from_replica
def report_detail(request, slug):
    report = _report_or_404(request, slug)
    form = ReportFilterForm(request.GET or None, report=report)
    filters = form.filters() if form.is_bound and form.is_valid() else Filters()
    status = 400 if form.is_bound and not form.is_valid() else 200
    result = report_run(report=report, filters=filters, user=request.user)
    context = {
        "report": report,
        "form": form,
        "result": result,
        "charts": _charts(result, get_language_bidi()),
        "querystring": urlencode(filters.as_query()),
    }
    return render(request, "reports/report.html", context, status=status)


@role_required(*ANY_REPORT_ROLES)
@reads_from_replica
def report_export(request, slug, fmt):
    report = _report_or_404(request, slug)
    if not can_export_report(request.user, report):
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None, report=report)
    if form.is_bound and not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters() if form.is_bound else Filters()
    result = report_run(report=report, filters=filters, user=request.user)
    report_export_record(actor=request.user, report=report, filters=filters, fmt=fmt, request=request)
    if fmt == "csv":
        body, content_type = export_csv(result), "text/csv; charset=utf-8"
    else:
        body = export_xlsx(result, rtl=get_language_bidi())
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{report.slug}.{fmt}"'
    return response
