"""The daily follow-up digest: one e-mail per counsellor and day (``DigestSent`` makes a repeat harmless)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from .models import DigestSent
from .notifications import send_follow_up_digest
from .selectors import follow_ups_due_by_assignee


def follow_up_digests_send(*, day: dt.date) -> int:
    sent = 0
    already = set(DigestSent.objects.filter(day=day).values_list("user_id", flat=True))
    for user_id, contacts in follow_ups_due_by_assignee(day=day).items():
        if user_id in already:
            continue
        user = contacts[0].follow_up_assignee
        if not user.is_active or not user.email or user.erased_at:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=day, items=len(contacts))
                send_follow_up_digest(user=user, contacts=contacts, day=day)
        except IntegrityError:
            continue  # another run recorded this digest first
        sent += 1
    return sent
