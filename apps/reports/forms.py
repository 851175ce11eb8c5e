"""The filters every report takes: a period in whole months, and a country."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.models import Country

from .framework import Filters

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": _("YYYY-MM")})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date(int(match.group(1)), int(match.group(2)), 1)


class ReportFilterForm(forms.Form):
    """Fields ``from``, ``to`` and ``country`` (the names used in URLs and the API)."""

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = MonthField(label=_("From (month)"), required=False)
        self.fields["to"] = MonthField(label=_("To (month)"), required=False)
        label = report.country_label if report is not None else _("Country")
        self.fields["country"] = forms.ChoiceField(label=label, required=False, choices=self._countries())
        if report is not None:
            self.fields["from"].help_text = report.date_label

    @staticmethod
    def _countries():
        countries = sorted(Country.objects.all(), key=lambda c: str(c.name))
        return [("", _("All countries")), *[(c.code, c.name or c.code) for c in countries]]

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The last month must not be before the first."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(month_from=data.get("from"), month_to=data.get("to"), country=data.get("country") or "")
