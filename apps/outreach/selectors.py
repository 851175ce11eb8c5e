"""Reads of the outreach app: segment evaluation (with the consent condition in the same query), lists, stats."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.collation import collated
from apps.core.formatting import format_list, format_number
from apps.core.models import Country, Language
from apps.skills.models import (
    CONSENT_FIELDS,
    AvailabilityMode,
    ConsentPurpose,
    DiasporaProfile,
    EngagementInterest,
    Occupation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)

from .models import AddressHold, Campaign, Channel, Delivery, Segment

# The filters a segment may hold (the skills-bank search filters), each with the type of its value.
LIST_FILTERS = (
    "residence_countries",
    "origin_countries",
    "sectors",
    "occupations",
    "skills",
    "languages",
    "engagement",
)
FILTER_KEYS = frozenset(LIST_FILTERS) | {"availability_mode", "available_now", "confirmed_within_days"}


def segment_filters_clean(filters) -> dict:
    """The filters, normalised; a ValidationError naming the filter that is wrong otherwise."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise ValidationError({"filters": _("Filters must be an object.")})
    unknown = sorted(set(filters) - FILTER_KEYS)
    if unknown:
        raise ValidationError({"filters": _("Unknown filter: %(names)s.") % {"names": ", ".join(unknown)}})
    clean: dict = {}
    for key in LIST_FILTERS:
        value = filters.get(key)
        if value in (None, "", []):
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValidationError({"filters": _("The filter %(name)s must be a list of codes.") % {"name": key}})
        clean[key] = sorted(set(value))
    checks = {
        "residence_countries": (Country, "code"),
        "origin_countries": (Country, "code"),
        "sectors": (Sector, "code"),
        "languages": (Language, "code"),
        "occupations": (Occupation, "code"),
        "skills": (Skill, "code"),
    }
    for key, (model, field) in checks.items():
        if key in clean:
            known = set(model.objects.filter(**{f"{field}__in": clean[key]}).values_list(field, flat=True))
            missing = sorted(set(clean[key]) - known)
            if missing:
                raise ValidationError(
                    {"filters": _("Unknown codes in %(name)s: %(codes)s.") % {"name": key, "codes": ", ".join(missing)}}
                )
    if "engagement" in clean and not set(clean["engagement"]) <= set(EngagementInterest.values):
        raise ValidationError({"filters": _("Unknown engagement interest.")})
    mode = filters.get("availability_mode")
    if mode not in (None, ""):
        if mode not in AvailabilityMode.values:
            raise ValidationError({"filters": _("Unknown availability mode.")})
        clean["availability_mode"] = mode
    if filters.get("available_now"):
        if not isinstance(filters["available_now"], bool):
            raise ValidationError({"filters": _("available_now must be true or false.")})
        clean["available_now"] = True
    days = filters.get("confirmed_within_days")
    if days not in (None, ""):
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
            raise ValidationError({"filters": _("confirmed_within_days must be a number of days from 1 to 3650.")})
        clean["confirmed_within_days"] = days
    return clean


def profiles_matching(filters: dict) -> QuerySet[DiasporaProfile]:
    """Profiles matching the segment filters (no consent condition: see ``segment_recipients``)."""
    qs = DiasporaProfile.objects.all()
    if filters.get("residence_countries"):
        qs = qs.filter(residence_country_id__in=filters["residence_countries"])
    if filters.get("origin_countries"):
        qs = qs.filter(origin_country_id__in=filters["origin_countries"])
    if filters.get("sectors"):
        through = DiasporaProfile.sectors.through
        qs = qs.filter(
            Exists(through.objects.filter(diasporaprofile_id=OuterRef("pk"), sector_id__in=filters["sectors"]))
        )
    if filters.get("occupations"):
        through = DiasporaProfile.occupations.through
        prefix = Q()
        for code in filters["occupations"]:
            prefix |= Q(occupation__code__startswith=code)  # an ISCO group: its unit groups start with its code
        qs = qs.filter(Exists(through.objects.filter(prefix, diasporaprofile_id=OuterRef("pk"))))
    if filters.get("skills"):
        qs = qs.filter(Exists(ProfileSkill.objects.filter(profile_id=OuterRef("pk"), skill_id__in=filters["skills"])))
    if filters.get("languages"):
        qs = qs.filter(
            Exists(ProfileLanguage.objects.filter(profile_id=OuterRef("pk"), language_id__in=filters["languages"]))
        )
    if filters.get("engagement"):
        qs = qs.filter(engagement_interests__overlap=filters["engagement"])
    if filters.get("availability_mode"):
        mode = filters["availability_mode"]
        modes = [mode, AvailabilityMode.BOTH] if mode != AvailabilityMode.BOTH else [mode]
        qs = qs.filter(availability_mode__in=modes)
    if filters.get("available_now"):
        today = timezone.localdate()
        qs = qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=today)).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=today)
        )
    if filters.get("confirmed_within_days"):
        since = timezone.now() - timedelta(days=filters["confirmed_within_days"])
        qs = qs.filter(last_confirmed_at__gte=since)
    return qs


def consent_purpose_for(*, channel: str, kind: str) -> str:
    """The consent a message of this channel and kind needs."""
    if channel == Channel.SMS:
        return ConsentPurpose.SMS
    if kind == Campaign.Kind.CALL_FOR_EXPERTS:
        return ConsentPurpose.EXPERT_CONTACT
    return ConsentPurpose.NEWSLETTER_EMAIL


def reachable(qs: QuerySet[DiasporaProfile], *, channel: str, purpose: str) -> QuerySet[DiasporaProfile]:
    """Only profiles that consented to ``purpose``, are not erased, and have a usable address for ``channel``."""
    qs = qs.filter(
        **{CONSENT_FIELDS[ConsentPurpose(purpose)]: True},
        erased_at__isnull=True,
        user__erased_at__isnull=True,
        user__is_active=True,
    )
    if channel == Channel.SMS:
        return qs.exclude(phone="")
    return qs.exclude(user__email="").filter(~Exists(AddressHold.objects.filter(address=OuterRef("user__email"))))


def segment_recipients(*, segment: Segment, channel: str, kind: str) -> QuerySet[DiasporaProfile]:
    """The people a campaign on ``segment`` reaches: the filters AND the channel's consent, in one query."""
    purpose = consent_purpose_for(channel=channel, kind=kind)
    return reachable(profiles_matching(segment.filters or {}), channel=channel, purpose=purpose)


def segment_preview(*, filters: dict, channel: str = Channel.EMAIL, kind: str = "newsletter", sample: int = 5) -> dict:
    """How many people the filters reach on ``channel``, by language, with a small sample of first names."""
    purpose = consent_purpose_for(channel=channel, kind=kind)
    qs = reachable(profiles_matching(filters), channel=channel, purpose=purpose)
    by_language = dict(
        qs.order_by()
        .values_list("user__preferred_language")
        .annotate(n=Count("id"))
        .values_list("user__preferred_language", "n")
    )
    people = list(qs.order_by("-id").values("first_name", "residence_country_id")[:sample])
    return {
        "count": sum(by_language.values()),
        "by_language": by_language,
        "languages": language_counts(by_language),
        "sample": people,
    }


def recipient_languages(*, campaign: Campaign) -> dict[str, int]:
    qs = segment_recipients(segment=campaign.segment, channel=campaign.channel, kind=campaign.kind)
    return dict(
        qs.order_by()
        .values_list("user__preferred_language")
        .annotate(n=Count("id"))
        .values_list("user__preferred_language", "n")
    )


def segment_list() -> QuerySet[Segment]:
    return Segment.objects.select_related("created_by").order_by("name", "id")


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("segment", "created_by").prefetch_related("messages")


def campaign_stats(*, campaign: Campaign) -> dict:
    """Counts per delivery state, remaining, and the rate over the last minute (messages per second)."""
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    total = sum(counts.values())
    sent = counts.get("sent", 0) + counts.get("delivered", 0)
    failed = counts.get("failed", 0) + counts.get("bounced", 0)
    skipped = counts.get("skipped", 0)
    remaining = counts.get("pending", 0) + counts.get("sending", 0)
    since = timezone.now() - timedelta(seconds=60)
    recent = Delivery.objects.filter(campaign=campaign, sent_at__gte=since).count() if remaining else 0
    done = sent + failed + skipped
    return {
        "total": total,
        "sent": sent,
        "delivered": counts.get("delivered", 0),
        "failed": failed,
        "bounced": counts.get("bounced", 0),
        "skipped": skipped,
        "remaining": remaining,
        "percent": round(100 * done / total) if total else 0,
        "rate": round(recent / 60, 1),
    }


def deliveries_for_member(user) -> list[dict]:
    """For a member's own data export: every message sent to them, with its channel, language and status."""
    rows = (
        Delivery.objects.filter(user=user)
        .select_related("campaign")
        .order_by("created_at")
        .values("created_at", "sent_at", "channel", "language", "state", "kind", "subject", "campaign__name")
    )
    return [
        {
            "created": row["created_at"].isoformat(),
            "sent": row["sent_at"].isoformat() if row["sent_at"] else None,
            "channel": row["channel"],
            "language": row["language"],
            "status": row["state"],
            "kind": row["kind"] or None,
            "campaign": row["campaign__name"],
            "subject": row["subject"],
        }
        for row in rows
    ]


def segment_summary(filters: dict) -> list[str]:
    """The segment's filters as sentences a person reads ("Countries of residence: France or Spain"), in the active language,
    with names, not codes. Values within one filter are alternatives ("or"); the filters all apply."""
    filters = filters or {}
    lines: list[str] = []

    def names(model, key: str, field: str) -> str:
        codes = filters.get(key) or []
        found = dict(model.objects.filter(pk__in=codes).values_list("pk", field))
        return format_list(collated(str(found.get(code, code)) for code in codes), style="or")

    if filters.get("residence_countries"):
        lines.append(_("Countries of residence: %(names)s") % {"names": names(Country, "residence_countries", "name")})
    if filters.get("origin_countries"):
        lines.append(_("Countries of origin: %(names)s") % {"names": names(Country, "origin_countries", "name")})
    if filters.get("sectors"):
        lines.append(_("Sectors: %(names)s") % {"names": names(Sector, "sectors", "label")})
    if filters.get("occupations"):
        codes = format_list(filters["occupations"], style="or")
        lines.append(_("ISCO-08 occupation groups: %(names)s") % {"names": codes})
    if filters.get("skills"):
        lines.append(_("Skills: %(names)s") % {"names": names(Skill, "skills", "label")})
    if filters.get("languages"):
        lines.append(_("Languages spoken: %(names)s") % {"names": names(Language, "languages", "name")})
    if filters.get("engagement"):
        labels = dict(EngagementInterest.choices)
        wanted = format_list((str(labels.get(code, code)) for code in filters["engagement"]), style="or")
        lines.append(_("Engagement interests: %(names)s") % {"names": wanted})
    if filters.get("availability_mode"):
        mode = dict(AvailabilityMode.choices).get(filters["availability_mode"], filters["availability_mode"])
        lines.append(_("Availability: %(names)s") % {"names": mode})
    if filters.get("available_now"):
        lines.append(_("Available now"))
    if filters.get("confirmed_within_days"):
        days = filters["confirmed_within_days"]
        lines.append(
            ngettext(
                "Profile confirmed in the last %(days)s day",
                "Profile confirmed in the last %(days)s days",
                days,
            )
            % {"days": format_number(days)}
        )
    return lines


def language_counts(by_language: dict[str, int]) -> list[tuple[str, int]]:
    """{"ar": 2, "fr": 1} as the languages' names in the page's language, largest first: [("Arabic", 2), …]."""
    names = {code: str(name) for code, name in settings.LANGUAGES}
    return sorted(((names.get(code or "", code or "—"), n) for code, n in by_language.items()), key=lambda x: -x[1])
