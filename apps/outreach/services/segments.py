"""Segments: saved skills-bank filters that campaigns send to."""

from __future__ import annotations

from django.db import transaction

from apps.core.audit import audit_record
from apps.core.validators import validate_clean_text

from ..models import Segment
from ..selectors import segment_filters_clean
from ._common import _require_manager


@transaction.atomic
def segment_create(*, actor, name: str, filters: dict, description: str = "") -> Segment:
    _require_manager(actor)
    segment = Segment(name=name, description=description, filters=segment_filters_clean(filters), created_by=actor)
    segment.full_clean()
    validate_clean_text(name)
    segment.save()
    audit_record(actor=actor, action="outreach.segment.create", obj=segment, summary=name)
    return segment


@transaction.atomic
def segment_update(*, actor, segment: Segment, name: str, filters: dict, description: str = "") -> Segment:
    _require_manager(actor)
    segment.name, segment.description, segment.filters = name, description, segment_filters_clean(filters)
    segment.full_clean()
    segment.save()
    audit_record(actor=actor, action="outreach.segment.update", obj=segment, summary=name)
    return segment
