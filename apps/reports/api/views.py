from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.permissions import HasRole

from .. import framework
from ..forms import ReportFilterForm
from ..permissions import ANY_REPORT_ROLES, can_view_report
from ..selectors import report_run, reports_for
from .serializers import ReportFiguresSerializer, ReportSummarySerializer, report_json

FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="First month included, YYYY-MM."),
    OpenApiParameter("to", OpenApiTypes.STR, description="Last month included, YYYY-MM."),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code."),
]


class ReportListView(APIView):
    """The reports the caller may read."""

    permission_classes = [HasRole(*ANY_REPORT_ROLES)]

    @extend_schema(responses=ReportSummarySerializer(many=True), operation_id="reports_list")
    def get(self, request):
        body = [
            {
                "slug": r.slug,
                "title": str(r.title),
                "description": str(r.description),
                "url": request.build_absolute_uri(reverse("api-reports:report-detail", args=[r.slug])),
            }
            for r in reports_for(request.user)
        ]
        return Response(body)


class ReportDetailView(APIView):
    """One report's aggregates, with the same small-count protection as the pages and exports."""

    permission_classes = [HasRole(*ANY_REPORT_ROLES)]

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ReportFiguresSerializer, operation_id="reports_retrieve")
    def get(self, request, slug):
        report = framework.get(slug)
        if report is None:
            raise Http404
        if not can_view_report(request.user, report):
            raise PermissionDenied
        form = ReportFilterForm(request.query_params or None, report=report)
        if form.is_bound and not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        filters = form.filters() if form.is_bound else framework.Filters()
        return Response(report_json(report_run(report=report, filters=filters, user=request.user)))
