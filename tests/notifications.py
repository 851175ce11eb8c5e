"""Send the notifications a test queued, the way a worker does, and read them from Django's test outbox."""

from __future__ import annotations

from django.core import mail

from apps.outreach.models import Delivery
from apps.outreach.sending import deliveries_send_block


def notifications_deliver() -> list:
    """Run the delivery pipeline's own sending code on every pending notification (what the Celery task does
    when the transaction commits) and return ``mail.outbox``: the messages as the recipients get them."""
    pending = list(
        Delivery.objects.filter(campaign__isnull=True, state=Delivery.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if pending:
        deliveries_send_block(delivery_ids=pending, campaign_id=None)
    return mail.outbox
