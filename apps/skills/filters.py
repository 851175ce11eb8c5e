"""Filters over skills-bank profiles, shared by staff search (page, API, export) and outreach segments.

``ProfileFilterForm`` validates the parameters (a QueryDict, a dict of lists or a dict of values);
``profile_filter_queryset(queryset, params)`` narrows a profile queryset with them. Every filter narrows the
result; within one filter any of the values given matches (a profile in *any* of the chosen sectors).
The free-text query ``q`` is not a filter: it is ranked full-text search, see ``selectors.search``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.collation import collated
from apps.core.formatting import format_list
from apps.core.models import Country, Language
from apps.core.validators import validate_clean_text
from apps.core.widgets import ChipSelectMultiple

from .models import (
    AvailabilityMode,
    DiasporaProfile,
    EducationLevel,
    EngagementInterest,
    ProfileEducation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)
from .pickers import sectors_picker, skills_picker

# A profile confirmed within this many days is fresh; older ones are due for confirmation.
FRESH_DAYS = 365
QUERY_MAX_LENGTH = 200
_ISCO_CODE = re.compile(r"^\d{1,4}$")

FILTER_FIELDS = (
    "residence_country",
    "origin_country",
    "sector",
    "occupation",
    "skill",
    "language",
    "education_level",
    "interest",
    "available_from",
    "available_to",
    "verified",
    "freshness",
)


def _country_choices():
    return collated(((c.code, c.name) for c in Country.objects.only("code", "name")), key=lambda choice: choice[1])


def _language_choices():
    return collated(((lang.code, lang.name) for lang in Language.objects.only("code", "name")), key=lambda c: c[1])


def _sector_choices():
    return collated(((s.code, s.label) for s in Sector.objects.all()), key=lambda choice: choice[1])


def _skill_choices():
    return collated(((s.code, s.label) for s in Skill.objects.all()), key=lambda choice: choice[1])


def _education_level_choices():
    return [("", "—")] + [(lvl.code, lvl.label) for lvl in EducationLevel.objects.order_by("code")]


class OccupationCodesField(forms.CharField):
    """ISCO-08 codes at any level (1 to 4 digits), separated by spaces or commas: "22 2411"."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
        value = super().to_python(value)
        codes = [code for code in re.split(r"[\s,;]+", value or "") if code]
        bad = [code for code in codes if not _ISCO_CODE.match(code)]
        if bad:
            raise ValidationError(
                _("An ISCO-08 code has 1 to 4 digits: %(codes)s is not one."),
                code="invalid",
                params={"codes": format_list(bad[:3])},
            )
        return codes


class ProfileFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        validators=[validate_clean_text],
        help_text=_("Names, job titles, employers, skills, occupations or sectors, in English, French or Arabic."),
    )
    residence_country = forms.MultipleChoiceField(
        label=_("Country of residence"), required=False, choices=[], widget=ChipSelectMultiple
    )
    origin_country = forms.MultipleChoiceField(
        label=_("Country of origin"), required=False, choices=[], widget=ChipSelectMultiple
    )
    sector = forms.MultipleChoiceField(label=_("Sectors"), required=False, choices=[], widget=sectors_picker())
    occupation = OccupationCodesField(
        label=_("Occupations (ISCO-08 codes)"),
        required=False,
        max_length=200,
        help_text=_("Codes at any level, separated by spaces: 2 (professionals), 22 (health), 2211 (doctors)."),
    )
    skill = forms.MultipleChoiceField(label=_("Skills"), required=False, choices=[], widget=skills_picker())
    language = forms.MultipleChoiceField(label=_("Languages"), required=False, choices=[], widget=ChipSelectMultiple)
    education_level = forms.ChoiceField(label=_("Education level at least"), required=False, choices=[])
    interest = forms.MultipleChoiceField(
        label=_("Engagement interests"), required=False, choices=EngagementInterest.choices
    )
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    available_to = forms.DateField(
        label=_("Available until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    verified = forms.ChoiceField(
        label=_("Verified"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Verified only")), ("no", _("Not verified"))],
    )
    freshness = forms.ChoiceField(
        label=_("Freshness"),
        required=False,
        choices=[
            ("", _("Any")),
            ("fresh", _("Confirmed in the last 12 months")),
            ("stale", _("Not confirmed for over 12 months")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are read when the form is validated or rendered (one query per list, whatever the results).
        self.fields["residence_country"].choices = _country_choices
        self.fields["origin_country"].choices = _country_choices
        self.fields["sector"].choices = _sector_choices
        self.fields["skill"].choices = _skill_choices
        self.fields["language"].choices = _language_choices
        self.fields["education_level"].choices = _education_level_choices
        for name in ("residence_country", "origin_country", "sector", "skill", "language"):
            self.fields[name].widget.attrs["size"] = 5

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("The end of the availability window is before its start."))
        return data


def _as_querydict(params) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, (list, tuple)):
            query.setlist(key, [str(v) for v in value])
        elif value is not None:
            query[key] = str(value)
    return query


def profile_filter_form(params) -> ProfileFilterForm:
    return ProfileFilterForm(_as_querydict(params))


def profile_filter_clean(params) -> dict:
    """Validated filter values; raises ``ValidationError`` with field errors when a value is not acceptable."""
    form = profile_filter_form(params)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def profile_filter_queryset(queryset: QuerySet[DiasporaProfile], params) -> QuerySet[DiasporaProfile]:
    """Narrow ``queryset`` with the skills-bank filters in ``params`` (a QueryDict or a dict).

    Raises ``ValidationError`` (field errors) for values that are not acceptable. The free-text ``q`` is
    ignored here. The caller decides beforehand who may see which profiles (consent, erasure, scope).
    """
    return profile_filter_apply(queryset, profile_filter_clean(params))


def profile_filter_apply(queryset: QuerySet[DiasporaProfile], data: dict) -> QuerySet[DiasporaProfile]:
    """Narrow ``queryset`` with already validated filter values (``ProfileFilterForm.cleaned_data``).

    The one engine that filters profiles: the staff search and outreach segments both come here. Besides the
    search form's fields it knows three conditions segments use: ``availability_mode`` (remote, on site; "both"
    matches either), ``available_now`` and ``confirmed_within_days``.
    """
    if data.get("residence_country"):
        queryset = queryset.filter(residence_country_id__in=data["residence_country"])
    if data.get("origin_country"):
        queryset = queryset.filter(origin_country_id__in=data["origin_country"])
    if data.get("sector"):
        through = DiasporaProfile.sectors.through
        queryset = queryset.filter(
            Exists(through.objects.filter(diasporaprofile_id=OuterRef("pk"), sector_id__in=data["sector"]))
        )
    if data.get("occupation"):
        through = DiasporaProfile.occupations.through
        prefix = Q()
        for code in data["occupation"]:
            prefix |= Q(occupation__code__startswith=code)
        queryset = queryset.filter(Exists(through.objects.filter(prefix, diasporaprofile_id=OuterRef("pk"))))
    if data.get("skill"):
        queryset = queryset.filter(
            Exists(ProfileSkill.objects.filter(profile_id=OuterRef("pk"), skill_id__in=data["skill"]))
        )
    if data.get("language"):
        queryset = queryset.filter(
            Exists(ProfileLanguage.objects.filter(profile_id=OuterRef("pk"), language_id__in=data["language"]))
        )
    if data.get("education_level"):
        queryset = queryset.filter(
            Exists(ProfileEducation.objects.filter(profile_id=OuterRef("pk"), level_id__gte=data["education_level"]))
        )
    if data.get("interest"):
        queryset = queryset.filter(engagement_interests__overlap=list(data["interest"]))
    start, end = data.get("available_from"), data.get("available_to")
    if start or end:
        # Availability declared and overlapping the window asked for.
        queryset = queryset.filter(available_from__isnull=False)
        if end:
            queryset = queryset.filter(available_from__lte=end)
        if start:
            queryset = queryset.filter(Q(available_to__isnull=True) | Q(available_to__gte=start))
    queryset = _segment_conditions(queryset, data)
    if data.get("verified") == "yes":
        queryset = queryset.filter(verified_at__isnull=False)
    elif data.get("verified") == "no":
        queryset = queryset.filter(verified_at__isnull=True)
    if data.get("freshness"):
        threshold = timezone.now() - timedelta(days=FRESH_DAYS)
        if data["freshness"] == "fresh":
            queryset = queryset.filter(last_confirmed_at__gte=threshold)
        else:
            queryset = queryset.filter(Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=threshold))
    return queryset


def _segment_conditions(queryset: QuerySet[DiasporaProfile], data: dict) -> QuerySet[DiasporaProfile]:
    if data.get("availability_mode"):
        mode = data["availability_mode"]
        modes = [mode, AvailabilityMode.BOTH] if mode != AvailabilityMode.BOTH else [mode]
        queryset = queryset.filter(availability_mode__in=modes)
    if data.get("available_now"):
        today = timezone.localdate()
        queryset = queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=today)).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=today)
        )
    if data.get("confirmed_within_days"):
        queryset = queryset.filter(
            last_confirmed_at__gte=timezone.now() - timedelta(days=data["confirmed_within_days"])
        )
    return queryset
