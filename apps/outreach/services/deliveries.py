"""Starting a campaign: one delivery per recipient in one statement, then the send tasks in blocks after commit."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from apps.core.audit import audit_record

from ..models import Campaign, Channel, Delivery
from ..selectors import segment_recipients


def _deliveries_insert(campaign: Campaign) -> int:
    """INSERT … SELECT one pending delivery per recipient, in the recipient's language, in one statement."""
    have = list(campaign.messages.values_list("language", flat=True))
    recipients = segment_recipients(segment=campaign.segment, channel=campaign.channel, kind=campaign.kind)
    address = F("phone") if campaign.channel == Channel.SMS else F("user__email")
    now = timezone.now()
    # Every column is an annotation, declared in the order of the INSERT's column list.
    columns = {
        "d_campaign": Value(campaign.pk),
        "d_user": F("user_id"),
        "d_profile": F("id"),
        "d_channel": Value(campaign.channel),
        "d_language": Case(
            When(user__preferred_language__in=have, then=F("user__preferred_language")),
            default=Value(campaign.default_language),
            output_field=CharField(),
        ),
        "d_address": address,
        "d_state": Value(Delivery.State.PENDING),
        "d_reason": Value(""),
        "d_attempts": Value(0),
        "d_kind": Value(""),
        "d_subject": Value(""),
        "d_body_text": Value(""),
        "d_body_html": Value(""),
        "d_provider_message_id": Value(""),
        "d_created_at": Value(now),
    }
    select_sql, params = recipients.order_by("id").annotate(**columns).values_list(*columns).query.sql_with_params()
    sql = (
        "INSERT INTO outreach_delivery (campaign_id, user_id, profile_id, channel, language, address, state, "
        "reason, attempts, kind, subject, body_text, body_html, provider_message_id, created_at) "
        f"{select_sql} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = cursor.rowcount
        # Statistics for the new rows at once (autovacuum comes later): planned on the old ones, a claim of 50
        # rows by key was read through the campaign's index, every delivery of the campaign for each batch.
        cursor.execute("ANALYZE outreach_delivery")
        return created


def campaign_start(*, campaign_id: int) -> int:
    """Turn a due campaign into deliveries (one statement), then queue them in blocks after commit.

    Returns the number of deliveries created; 0 when the campaign was not due (a repeat does nothing).
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        now = timezone.now()
        if (
            campaign is None
            or campaign.state != Campaign.State.SCHEDULED
            or campaign.scheduled_at is None  # a scheduled campaign always has its time
            or campaign.scheduled_at > now
        ):
            return 0
        created = _deliveries_insert(campaign)
        campaign.state = Campaign.State.SENDING
        campaign.started_at = now
        campaign.recipient_count = Delivery.objects.filter(campaign=campaign).count()
        campaign.save(update_fields=["state", "started_at", "recipient_count", "updated_at"])
        audit_record(
            actor=None, action="outreach.campaign.start", obj=campaign, summary=f"{created} deliveries created"
        )
        transaction.on_commit(lambda: deliveries_enqueue(campaign_id=campaign.pk))
    return created


# Blocks of a campaign wait at a lower priority than blocks given back after a worker died, so that those are sent
# next rather than after the whole campaign (the Redis transport reads priority 0 first).
BLOCK_PRIORITY, RECOVERED_PRIORITY = 6, 0


def deliveries_enqueue(*, campaign_id: int, ids=None, first: bool = False) -> int:
    """Queue send tasks for the campaign's pending deliveries, in blocks of primary keys. Returns blocks queued.
    ``first``: ahead of the blocks already waiting (rows given back by the sweep)."""
    from ..tasks import deliveries_send_task

    priority = RECOVERED_PRIORITY if first else BLOCK_PRIORITY

    size = settings.OUTREACH_BLOCK_SIZE
    if ids is None:
        ids = (
            Delivery.objects.filter(campaign_id=campaign_id, state=Delivery.State.PENDING)
            .order_by("id")
            .values_list("id", flat=True)
            .iterator(chunk_size=10000)
        )
    blocks = 0
    block: list[int] = []
    for pk in ids:
        block.append(pk)
        if len(block) >= size:
            deliveries_send_task.apply_async((block, campaign_id), priority=priority)
            blocks += 1
            block = []
    if block:
        deliveries_send_task.apply_async((block, campaign_id), priority=priority)
        blocks += 1
    return blocks
