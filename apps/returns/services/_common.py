from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# The PostgreSQL text search configuration of each portal language.
SEARCH_CONFIG = {"en": "english", "fr": "french", "ar": "arabic"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def apply(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
