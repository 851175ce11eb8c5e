"""An office manager's dashboard aggregates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Func, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ..models import Contact, Referral


class Unnest(Func):
    function = "unnest"


def office_dashboard(*, office, weeks: int = 12, today: dt.date | None = None) -> dict:
    """Aggregates for one office: contacts per week by topic and by channel, open follow-ups, referrals."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(weeks=weeks)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))  # a range the index can use
    contacts = Contact.objects.filter(office=office, occurred_at__gte=since)
    by_channel = list(
        contacts.annotate(week=TruncWeek("occurred_at"))
        .values("week", "channel")
        .annotate(count=Count("*"))
        .order_by("week", "channel")
    )
    by_topic = list(
        contacts.annotate(week=TruncWeek("occurred_at"), topic=Unnest(F("topics")))
        .values("week", "topic")
        .annotate(count=Count("*"))
        .order_by("week", "topic")
    )
    open_follow_ups = Contact.objects.filter(
        office=office, follow_up_done_at__isnull=True, follow_up_due__isnull=False
    ).aggregate(open=Count("*"), overdue=Count("follow_up_due", filter=Q(follow_up_due__lt=today)))
    referrals = list(
        Referral.objects.filter(office=office).values("status").annotate(count=Count("*")).order_by("status")
    )
    return {
        "start": start,
        "by_channel": by_channel,
        "by_topic": by_topic,
        "open_follow_ups": open_follow_ups["open"],
        "overdue_follow_ups": open_follow_ups["overdue"],
        "referrals": referrals,
    }
