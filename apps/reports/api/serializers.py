"""The JSON shape of a report. Cells carry ``value`` only when the count is shown (null otherwise)."""

from __future__ import annotations

from rest_framework import serializers


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True,
        help_text="The count (a whole number, rounded to `rounding_base`), a figure derived from the rounded counts "
        "(a difference, a percentage) or a statistic (a median, an average), or null when it is not shown.",
    )
    display = serializers.CharField(help_text='What to show: the count, "<5", "hidden" or "–".')
    status = serializers.ChoiceField(choices=["shown", "small", "complementary", "withheld"])


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cells = CellSerializer(many=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    dimension = serializers.CharField()
    note = serializers.CharField()
    partition = serializers.BooleanField()
    measures = MeasureSerializer(many=True)
    rows = RowSerializer(many=True)
    totals = CellSerializer(many=True, allow_null=True)


class ReportSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()


class ReportFiguresSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    date_filter = serializers.CharField(help_text="The date the period applies to.")
    country_filter = serializers.CharField(help_text="The country the country filter applies to.")
    refreshed_at = serializers.DateTimeField(allow_null=True)
    rounding_base = serializers.IntegerField(
        help_text="Every count of 5 or more is rounded to the nearest multiple of this (1: exact counts); totals are "
        "rounded on their own, so they may differ slightly from the sum of their rows."
    )
    headline_label = serializers.CharField()
    headline = CellSerializer(allow_null=True)
    tables = TableSerializer(many=True)


def report_json(result) -> dict:
    def cells(items):
        return [c.as_json() for c in items]

    report = result.report
    return {
        "slug": report.slug,
        "title": str(report.title),
        "filters": result.filters.as_query(),
        "date_filter": str(report.date_label),
        "country_filter": str(report.country_label),
        "refreshed_at": result.refreshed_at.isoformat() if result.refreshed_at else None,
        "rounding_base": result.rounding_base,
        "headline_label": str(report.headline_label),
        "headline": result.headline.as_json() if result.headline else None,
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "dimension": str(t.table.dimension_label),
                "note": str(t.table.note),
                "partition": t.table.partition,
                "measures": [{"key": k, "label": label} for k, label in t.measures],
                "rows": [{"key": r.key, "label": r.label, "cells": cells(r.cells)} for r in t.rows],
                "totals": cells(t.totals) if t.totals is not None else None,
            }
            for t in result.tables
        ],
    }
