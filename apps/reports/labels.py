"""Turn dimension values (codes) into labels in the current language. Each resolver takes the codes of one table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from apps.core.formatting import format_skeleton
from apps.core.models import Country, Language
from apps.skills.models import EducationLevel, EngagementInterest, Generation, Occupation, Sector

LabelResolver = Callable[[list[str]], dict[str, str]]


def _not_stated(values: list[str], labels: dict[str, str]) -> dict[str, str]:
    if "" in values:
        labels[""] = _("Not stated")
    return labels


def countries(values: list[str]) -> dict[str, str]:
    labels = {c.code: c.name or c.code for c in Country.objects.filter(code__in=[v for v in values if v])}
    return _not_stated(values, {v: labels.get(v, v) for v in values})


def languages(values: list[str]) -> dict[str, str]:
    labels = {lang.code: lang.name or lang.code for lang in Language.objects.filter(code__in=values)}
    return {v: labels.get(v, v) for v in values}


def sectors(values: list[str]) -> dict[str, str]:
    labels = {s.code: s.label or s.code for s in Sector.objects.filter(code__in=values)}
    return {v: labels.get(v, v) for v in values}


def isco_major_groups(values: list[str]) -> dict[str, str]:
    labels = {o.code: o.label for o in Occupation.objects.filter(code__in=values, level=1)}
    return {v: f"{v} · {labels[v]}" if labels.get(v) else _("ISCO major group %(code)s") % {"code": v} for v in values}


def education_levels(values: list[str]) -> dict[str, str]:
    labels = {e.code: e.label for e in EducationLevel.objects.filter(code__in=[v for v in values if v])}
    return _not_stated(values, {v: labels.get(v) or _("ISCED level %(code)s") % {"code": v} for v in values})


def generations(values: list[str]) -> dict[str, str]:
    known = dict(Generation.choices)
    return _not_stated(values, {v: str(known.get(v, v)) for v in values})


def engagement_interests(values: list[str]) -> dict[str, str]:
    known = dict(EngagementInterest.choices)
    return {v: str(known.get(v, v)) for v in values}


def confirmation(values: list[str]) -> dict[str, str]:
    known = {"yes": _("Confirmed in the last 12 months"), "no": _("Not confirmed in the last 12 months")}
    return {v: known.get(v, v) for v in values}


def months(values: list[str]) -> dict[str, str]:
    return {v: format_skeleton(date.fromisoformat(v), "yMMMM") for v in values if v}


def free_text(values: list[str]) -> dict[str, str]:
    return _not_stated(values, {v: v for v in values})


def choices(enum) -> LabelResolver:
    """A resolver for the values of a ``TextChoices``."""

    def resolve(values: list[str]) -> dict[str, str]:
        known = dict(enum.choices)
        return _not_stated(values, {v: str(known.get(v, v)) for v in values})

    return resolve


def fixed(known: dict) -> LabelResolver:
    def resolve(values: list[str]) -> dict[str, str]:
        return {v: str(known.get(v, v)) for v in values}

    return resolve


def offices(values: list[str]) -> dict[str, str]:
    from apps.offices.models import Office

    ids = [int(v) for v in values if v.isdigit()]
    names = dict(Office.objects.filter(pk__in=ids).values_list("id", "organisation__name"))
    return {v: names.get(int(v), v) if v.isdigit() else v for v in values}


def organisations(values: list[str]) -> dict[str, str]:
    from apps.accounts.models import Organisation

    ids = [int(v) for v in values if v.isdigit()]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("id", "name"))
    return {v: names.get(int(v), v) if v.isdigit() else v for v in values}


def campaigns(values: list[str]) -> dict[str, str]:
    from apps.outreach.models import Campaign

    ids = [int(v) for v in values if v.isdigit()]
    names = dict(Campaign.objects.filter(pk__in=ids).values_list("id", "name"))
    return {v: names.get(int(v), v) if v.isdigit() else v for v in values}
