"""Staff writes: verifying profiles, merging proposed skills into the vocabulary, exporting result lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exports import list_cell, spreadsheet_safe, text_cell
from apps.core.formatting import format_list

from ..models import DiasporaProfile, ProfileSkill, ProfileVerification, Sector, Skill, VerificationCheck
from ..permissions import can_curate_taxonomy, can_export_profiles, can_verify_profile
from .consents import profile_search_refresh

# Verification -----------------------------------------------------------------------------------------------


@transaction.atomic
def profile_verify(
    *, profile: DiasporaProfile, actor, checks: Iterable[str], note: str = "", request=None
) -> ProfileVerification:
    """Record that ``actor`` checked ``checks`` of ``profile``; the profile shows as verified from now on."""
    if not can_verify_profile(actor, profile):
        raise PermissionDenied
    checks = sorted(set(checks))
    if not checks:
        raise ValidationError({"checks": _("Say what was checked.")})
    verification = ProfileVerification(profile=profile, verified_by=actor, checks=checks, note=note.strip())
    verification.full_clean(exclude=["profile", "verified_by"])
    verification.save()
    now = verification.verified_at
    labels = format_list(VerificationCheck(check).label for check in checks)
    summary = f"{labels}: {note.strip()}" if note.strip() else labels
    DiasporaProfile.objects.filter(pk=profile.pk).update(
        verified_at=now, verified_by=actor, verification_note=summary[:2000]
    )
    profile.verified_at, profile.verified_by, profile.verification_note = now, actor, summary[:2000]
    audit_record(
        actor=actor,
        action="profile.verify",
        obj=profile,
        summary=", ".join(checks),
        request=request,
        extra={"checks": checks},
    )
    return verification


# Vocabulary curation ----------------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(text.split()).lower()


@transaction.atomic
def skill_create(
    *, code: str, sector: Sector, label_en: str, label_fr: str, label_ar: str, actor, request=None
) -> Skill:
    """Add an entry to the skills vocabulary (labels in the three languages)."""
    if not can_curate_taxonomy(actor):
        raise PermissionDenied
    skill = Skill(code=code, sector=sector, label=label_en, label_en=label_en, label_fr=label_fr, label_ar=label_ar)
    skill.full_clean()
    skill.save()
    audit_record(actor=actor, action="skill.create", obj=skill, summary=label_en, request=request)
    return skill


@transaction.atomic
def skill_proposal_merge(*, proposed_text: str, skill: Skill, actor, request=None) -> int:
    """Map every profile skill proposed as ``proposed_text`` (any case, any spacing) to the vocabulary ``skill``.

    A profile that already has ``skill`` keeps its entry and loses the proposed duplicate. The search documents
    of the profiles concerned are refreshed. Returns how many profiles were changed.
    """
    if not can_curate_taxonomy(actor):
        raise PermissionDenied
    key = _normalised(proposed_text)
    if not key:
        raise ValidationError({"proposed_text": _("This field is required.")})
    proposals = ProfileSkill.objects.select_for_update().filter(skill__isnull=True)
    proposals = proposals.annotate(key=Lower(Trim("proposed_text"))).filter(key=key)
    rows = list(proposals.values_list("id", "profile_id"))
    if not rows:
        raise ValidationError({"proposed_text": _("No profile proposes this skill any more.")})
    profile_ids = {profile_id for _, profile_id in rows}
    already = set(
        ProfileSkill.objects.filter(skill=skill, profile_id__in=profile_ids).values_list("profile_id", flat=True)
    )
    ProfileSkill.objects.filter(id__in=[pk for pk, pid in rows if pid in already]).delete()
    seen: set[int] = set()
    to_map: list[int] = []
    duplicates: list[int] = []
    for pk, profile_id in rows:
        if profile_id in already:
            continue
        (duplicates if profile_id in seen else to_map).append(pk)
        seen.add(profile_id)
    ProfileSkill.objects.filter(id__in=duplicates).delete()
    ProfileSkill.objects.filter(id__in=to_map).update(skill=skill, proposed_text="")
    profile_search_refresh(profile_ids=profile_ids)
    audit_record(
        actor=actor,
        action="skill.merge_proposal",
        obj=skill,
        summary=f"{proposed_text!r} → {skill.code} ({len(profile_ids)})",
        request=request,
        extra={"proposed_text": proposed_text, "profiles": len(profile_ids)},
    )
    return len(profile_ids)


def skill_proposal_list():
    """Proposed free-text skills not yet in the vocabulary, grouped case-insensitively, most frequent first."""
    return (
        ProfileSkill.objects.filter(skill__isnull=True)
        .exclude(proposed_text="")
        .annotate(key=Lower(Trim("proposed_text")))
        .values("key")
        .annotate(profiles=Count("profile_id", distinct=True), example=Min("proposed_text"))
        .order_by("-profiles", "key")
    )


# Exports ----------------------------------------------------------------------------------------------------

EXPORT_MAX_ROWS = 10_000


def _export_headers() -> list[str]:
    return [
        _("Reference"),
        _("First name"),
        _("Last name"),
        _("Name in Arabic script"),
        _("Country of residence"),
        _("City of residence"),
        _("Country of origin"),
        _("Job title"),
        _("Employer"),
        _("Occupations"),
        _("Sectors"),
        _("Skills"),
        _("Languages"),
        _("Verified on"),
        _("Last confirmed"),
    ]


def _export_row(profile: DiasporaProfile) -> list:
    skills = [ps.skill.label if ps.skill is not None else ps.proposed_text for ps in profile.skills.all()]
    return [
        profile.pk,
        profile.first_name,
        profile.last_name,
        profile.full_name_ar,
        profile.residence_country.name if profile.residence_country is not None else "",
        profile.residence_city,
        profile.origin_country.name if profile.origin_country is not None else "",
        profile.job_title,
        profile.employer,
        list_cell(f"{o.code} {o.label}" for o in profile.occupations.all()),
        list_cell(s.label for s in profile.sectors.all()),
        list_cell(skills),
        list_cell(
            text_cell(_("%(language)s (%(level)s)"), {"language": pl.language.name}, level=pl.get_level_display())
            for pl in profile.languages.all()
        ),
        timezone.localtime(profile.verified_at).date() if profile.verified_at else None,
        timezone.localtime(profile.last_confirmed_at).date() if profile.last_confirmed_at else None,
    ]


def profile_export(*, search, actor, file_format: str, request=None) -> tuple[bytes, int]:
    """A result list (``selectors.search.profile_search``) as CSV or XLSX bytes; the export is audited.

    At most ``EXPORT_MAX_ROWS`` rows. Returns (content, number of rows).
    """
    from ..selectors.search import profile_search_prefetch

    if not can_export_profiles(actor):
        raise PermissionDenied
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    profiles = list(profile_search_prefetch(search.queryset)[:EXPORT_MAX_ROWS])
    rows = [[spreadsheet_safe(value) for value in _export_row(p)] for p in profiles]
    headers = _export_headers()
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheets then read UTF-8
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Profiles")[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    audit_record(
        actor=actor,
        action="profile.export",
        object_type="skills.diasporaprofile",
        summary=f"{file_format}: {len(rows)} profiles; q={search.query!r}",
        request=request,
        extra={
            "format": file_format,
            "count": len(rows),
            "query": search.query,
            "filters": filters_for_audit(search.filters),
            "profile_ids": [p.pk for p in profiles[:1000]],
            "exported_at": timezone.now().isoformat(),
        },
    )
    return content, len(rows)


def filters_for_audit(filters: dict) -> dict:
    """The filters of a search as plain strings, for the audit log."""
    out = {}
    for key, value in filters.items():
        if key == "q" or value in (None, "", [], ()):
            continue
        out[key] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    return out


def profile_search_record(*, search, actor, count: int, truncated: bool = False, request=None) -> None:
    """Audit a staff search: who searched for what, with which filters, and how many profiles it found.

    ``truncated``: more profiles matched than the ``count`` listed (the search's cap).
    """
    audit_record(
        actor=actor,
        action="profile.search",
        object_type="skills.diasporaprofile",
        summary=f"{'more than ' if truncated else ''}{count} results; q={search.query!r}",
        request=request,
        extra={
            "query": search.query,
            "filters": filters_for_audit(search.filters),
            "count": count,
            "truncated": truncated,
        },
    )
