"""Reads of the outreach app: segment evaluation (with the consent condition in the same query), lists, stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.collation import collated
from apps.core.formatting import format_list, format_number
from apps.core.models import Country, Language
from apps.core.names import describe, match
from apps.skills.filters import profile_filter_apply
from apps.skills.models import (
    CONSENT_FIELDS,
    AvailabilityMode,
    ConsentPurpose,
    DiasporaProfile,
    EngagementInterest,
    Occupation,
    Sector,
    Skill,
)
from apps.skills.selectors.search import name_match_ids_sql, name_query_words, profile_names

from .models import AddressHold, Campaign, Channel, Delivery, Segment, SendingWorker, SentMark

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
        raise ValidationError({"filters": _("Unknown filter: %(names)s.") % {"names": format_list(unknown)}})
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
            known = set(model._default_manager.filter(**{f"{field}__in": clean[key]}).values_list(field, flat=True))
            missing = sorted(set(clean[key]) - known)
            if missing:
                raise ValidationError(
                    {
                        "filters": _("Unknown codes in %(name)s: %(codes)s.")
                        % {"name": key, "codes": format_list(missing)}
                    }
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


# A segment's filter names (plural, as stored) and the skills-bank filter each one is.
SEGMENT_TO_SEARCH_FILTER = {
    "residence_countries": "residence_country",
    "origin_countries": "origin_country",
    "sectors": "sector",
    "occupations": "occupation",
    "skills": "skill",
    "languages": "language",
    "engagement": "interest",
    "availability_mode": "availability_mode",
    "available_now": "available_now",
    "confirmed_within_days": "confirmed_within_days",
}


def profiles_matching(filters: dict) -> QuerySet[DiasporaProfile]:
    """Profiles matching the segment filters (no consent condition: see ``segment_recipients``).

    Through the skills bank's own filter engine, so that a segment and a staff search with the same filters
    find the same people.
    """
    data = {SEGMENT_TO_SEARCH_FILTER[key]: value for key, value in filters.items() if value not in (None, "", [])}
    return profile_filter_apply(DiasporaProfile.objects.all(), data)


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
    people: list[dict] = [dict(row) for row in qs.order_by("-id").values("first_name", "residence_country_id")[:sample]]
    countries = Country.objects.in_bulk({p["residence_country_id"] for p in people if p["residence_country_id"]})
    for person in people:  # the country's name in the reader's language beside its code
        country = countries.get(person["residence_country_id"])
        person["residence_country"] = country.name if country else ""
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


def _accepted_not_folded(campaign: Campaign) -> dict:
    """Messages of the campaign the server or gateway accepted whose marks still wait for their claim batch's fold
    (rows still ``sending``): how many, how many in the last minute, the last one's time. They count as sent."""
    since = timezone.now() - timedelta(seconds=60)
    in_flight = Delivery.objects.filter(campaign=campaign, state=Delivery.State.SENDING).values("id")
    return SentMark.objects.filter(delivery_id__in=in_flight).aggregate(
        count=Count("delivery_id"), recent=Count("delivery_id", filter=Q(sent_at__gte=since)), last=Max("sent_at")
    )


def campaign_stats(*, campaign: Campaign) -> dict:
    """Counts per delivery state, remaining, and the rate over the last minute (messages per second). A message
    accepted but not yet folded into its row (``marks.marks_fold``, once per claim batch) counts as sent."""
    marked = _accepted_not_folded(campaign) if campaign.state == Campaign.State.SENDING else {"count": 0}
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    total = sum(counts.values())
    sent = counts.get("sent", 0) + counts.get("delivered", 0) + marked["count"]
    failed = counts.get("failed", 0) + counts.get("bounced", 0)
    skipped = counts.get("skipped", 0)
    remaining = counts.get("pending", 0) + counts.get("sending", 0) - marked["count"]
    since = timezone.now() - timedelta(seconds=60)
    recent = Delivery.objects.filter(campaign=campaign, sent_at__gte=since).count() if remaining else 0
    recent += marked.get("recent") or 0
    done = sent + failed + skipped
    return {
        **campaign_health(campaign=campaign, remaining=remaining, marked_last=marked.get("last")),
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


def sms_cost_estimate(*, campaign: Campaign, needed: dict[str, int]) -> dict:
    """Before an SMS campaign is sent: per recipients' language, the message they get with the opt-out line, its
    encoding (GSM-7, or UCS-2 for Arabic) and segments, and the cost at ``OUTREACH_SMS_SEGMENT_PRICE``. Names vary
    in length, so a message is measured with a typical name: an estimate."""
    from decimal import Decimal

    from django.utils import translation

    from .rendering import SAMPLE_VALUES, placeholders_fill, sms_length, sms_opt_out_text

    messages = {m.language: m for m in campaign.messages.all()}
    rows, total_segments = [], 0
    for code, count in sorted(needed.items(), key=lambda item: -item[1]):
        message = messages.get(code) or messages.get(campaign.default_language)
        if message is None:
            continue
        with translation.override(message.language):
            length = sms_length(f"{placeholders_fill(message.body, SAMPLE_VALUES)}\n{sms_opt_out_text()}")
        rows.append({"language": code, "recipients": count, **length, "total_segments": count * length["segments"]})
        total_segments += count * length["segments"]
    price = Decimal(settings.OUTREACH_SMS_SEGMENT_PRICE or "0")
    return {
        "rows": rows,
        "segments": total_segments,
        "cost": (price * total_segments).quantize(Decimal("0.01")),
        "currency": settings.OUTREACH_SMS_CURRENCY,
        "price": price,
    }


def workers_stopped_cutoff():
    """A worker whose heartbeat is older than this has stopped (three beats missed): shown at once; its rows are
    given back by the sweep after ``OUTREACH_WORKER_DEAD_SECONDS``, or by "resume now"."""
    return timezone.now() - timedelta(seconds=3 * settings.OUTREACH_HEARTBEAT_SECONDS)


def campaign_health(*, campaign: Campaign, remaining: int, marked_last=None) -> dict:
    """Whether a sending campaign is moving: ``ok``; ``resuming`` (a worker holding some of its messages stopped;
    they are being given back); ``stalled`` (nothing sent for ``OUTREACH_WORKER_DEAD_SECONDS`` and no worker
    holds its messages: no worker may be running). With the time since the last message."""
    last_sent_at = (
        Delivery.objects.filter(campaign=campaign, sent_at__isnull=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
        if campaign.state == Campaign.State.SENDING
        else None
    )
    if marked_last is not None and (last_sent_at is None or marked_last > last_sent_at):
        last_sent_at = marked_last  # accepted, its row not yet folded
    health = "ok"
    if campaign.state == Campaign.State.SENDING and remaining:
        held = Delivery.objects.filter(
            campaign=campaign, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
        ).exclude(claimed_by="")
        stopped = held.exclude(
            claimed_by__in=SendingWorker.objects.filter(heartbeat_at__gte=workers_stopped_cutoff()).values("name")
        )
        quiet_since = last_sent_at or campaign.started_at
        quiet = quiet_since is None or (timezone.now() - quiet_since).total_seconds() > (
            settings.OUTREACH_WORKER_DEAD_SECONDS
        )
        if stopped.exists():
            health = "resuming"
        elif quiet and not held.exists():
            health = "stalled"
    seconds = round((timezone.now() - last_sent_at).total_seconds()) if last_sent_at else None
    return {"health": health, "last_sent_at": last_sent_at, "seconds_since_last_message": seconds}


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


# The recipient lookup: at most this many deliveries are shown for one name (a common name in a big campaign
# asks for more of the name).
RECIPIENTS_SHOWN = 50


@dataclass
class RecipientMatch:
    delivery: Delivery
    explanation: str  # how the name matched ("Arabic name محمد matches Mohamed"); empty for the same name


def campaign_recipients_named(*, campaign: Campaign, query: str) -> tuple[list[RecipientMatch], bool]:
    """The deliveries of ``campaign`` to the members ``query`` names, in either script or another spelling (the
    staff search's name words, apps.core.names): the same name first, then other spellings, then the other
    script. Returns at most :data:`RECIPIENTS_SHOWN` and whether there are more."""
    words = name_query_words(query)
    if not words:
        return [], False
    named, params = name_match_ids_sql(words)
    rows = list(
        Delivery.objects.filter(campaign=campaign, profile_id__in=RawSQL(f"SELECT unnest({named})", params))
        .select_related("profile")
        .order_by("id")[: RECIPIENTS_SHOWN + 1]
    )
    found = []
    for delivery in rows[:RECIPIENTS_SHOWN]:
        if delivery.profile is None:  # the delivery of an erased member keeps no name
            continue
        names = profile_names(delivery.profile)
        how = match(query, names)
        found.append((how.rank if how else -1, RecipientMatch(delivery, describe(how, query=query, name=names))))
    found.sort(key=lambda pair: -pair[0])  # stable: by id within a rank
    return [recipient for _rank, recipient in found], len(rows) > RECIPIENTS_SHOWN
