"""Synthetic campaign history for the demo, so the outreach report shows real shapes: a few sent campaigns to
synthetic members, with delivered, bounced, failed and skipped messages, and the unsubscribes that followed;
loaded with ``COPY``. Idempotent (skipped when the synthetic campaigns exist). Needs synthetic members."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.bulk import copy_rows
from apps.skills.models import DiasporaProfile

from .models import Campaign, Delivery, Segment

MARKER = "(synthetic)"
CAMPAIGNS = [
    ("Quarterly newsletter", Campaign.Kind.NEWSLETTER, "email", 330),
    ("Investment forum invitation", Campaign.Kind.EVENT_INVITATION, "email", 250),
    ("Call for health experts", Campaign.Kind.CALL_FOR_EXPERTS, "email", 160),
    ("Funding alert: returnee start-ups", Campaign.Kind.FUNDING_ALERT, "email", 100),
    ("Profile reminder by SMS", Campaign.Kind.PROFILE_REMINDER, "sms", 45),
]
CONSENT_COLUMNS = {
    "newsletter_email": "consent_newsletter_email",
    "sms": "consent_sms",
    "expert_contact": "consent_expert_contact",
}
OUTCOMES = [(Delivery.State.DELIVERED, 78), (Delivery.State.SENT, 8), (Delivery.State.BOUNCED, 6),
            (Delivery.State.FAILED, 3), (Delivery.State.SKIPPED, 5)]  # fmt: skip


@transaction.atomic
def load(*, recipients: int = 2000, seed: int = 2026) -> int:
    """Each campaign goes to part of ``recipients`` synthetic members. Returns the messages loaded."""
    if recipients <= 0 or Campaign.objects.filter(name__endswith=MARKER).exists():
        return 0
    manager = User.objects.filter(email="outreach@demo.example.org").first()
    segment = Segment.objects.order_by("pk").first()
    members = list(
        DiasporaProfile.objects.filter(source="synthetic", erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "user_id", "user__preferred_language")[:recipients]
    )
    if manager is None or segment is None or not members:
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    deliveries, unsubscribes = [], []
    with connection.cursor() as cursor:
        for months_ago, (name, kind, channel, per_mille) in enumerate(CAMPAIGNS):
            sent_at = now - timedelta(days=30 * (len(CAMPAIGNS) - months_ago) + rng.randint(0, 10))
            chosen = rng.sample(members, max(1, len(members) * per_mille // 1000 * 2))
            campaign = Campaign.objects.create(
                name=f"{name} {MARKER}",
                kind=kind,
                channel=channel,
                sender_name="Diaspora Engagement Portal",
                default_language="fr",
                state=Campaign.State.SENT,
                started_at=sent_at,
                finished_at=sent_at + timedelta(hours=1),
                recipient_count=len(chosen),
                created_by=manager,
                segment=segment,
            )
            purpose = (
                "sms" if channel == "sms" else "expert_contact" if kind == "call_for_experts" else "newsletter_email"
            )
            for profile, user, language in chosen:
                state = rng.choices([s for s, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
                sent = None if state == Delivery.State.SKIPPED else sent_at
                address = f"+2210000{profile:06d}" if channel == "sms" else f"member{profile}@example.invalid"
                deliveries.append(
                    (campaign.pk, user, profile, channel, language or "fr", address, state, "", 1, kind, "", "", "",
                     "", sent_at, sent, sent_at, purpose)
                )  # fmt: skip
                if sent and rng.random() < 0.04:
                    method = "sms_stop" if channel == "sms" else "unsubscribe"
                    unsubscribes.append((profile, purpose, False, sent + timedelta(days=1), method, "2026-01"))
        copy_rows(
            cursor,
            "outreach_delivery",
            ["campaign_id", "user_id", "profile_id", "channel", "language", "address", "state", "reason", "attempts",
             "kind", "subject", "body_text", "body_html", "provider_message_id", "created_at", "sent_at",
             "updated_at", "consent_purpose"],
            deliveries,
        )  # fmt: skip
        copy_rows(
            cursor,
            "skills_consentrecord",
            ["profile_id", "purpose", "given", "recorded_at", "method", "text_version"],
            unsubscribes,
        )
        # The profile's consent flags follow its latest record (here, the withdrawal).
        for purpose, column in CONSENT_COLUMNS.items():
            withdrawn = [row[0] for row in unsubscribes if row[1] == purpose]
            if withdrawn:
                cursor.execute(f"UPDATE skills_diasporaprofile SET {column} = false WHERE id = ANY(%s)", [withdrawn])
    return len(deliveries)
