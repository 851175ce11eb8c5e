"""Outreach: segments, campaigns with one message per language, one delivery per recipient, addresses on hold."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Segment(models.Model):
    """A saved filter over skills-bank profiles, evaluated when a campaign starts (see selectors)."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletter")
        EVENT_INVITATION = "event_invitation", _("Event invitation")
        CALL_FOR_EXPERTS = "call_for_experts", _("Call for experts")
        FUNDING_ALERT = "funding_alert", _("Funding alert")
        PROFILE_REMINDER = "profile_reminder", _("Profile reminder")
        SURVEY_INVITATION = "survey_invitation", _("Survey invitation")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    segment = models.ForeignKey(Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="campaigns")
    sender_name = models.CharField(_("sender name"), max_length=100)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The author's recorded choice for recipients whose language has no message: send them the default language.
    missing_language_fallback = models.BooleanField(
        _("send the default language where a message is missing"), default=False
    )
    missing_language_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    missing_language_decided_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(scheduled_at__isnull=False), name="campaign_scheduled_has_time"
            ),
        ]
        indexes = [models.Index(fields=["state", "scheduled_at"], name="campaign_due_idx")]

    def __str__(self) -> str:
        return self.name


class CampaignMessage(models.Model):
    """The campaign's message in one language. Subject is ignored for SMS."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("campaign message")
        verbose_name_plural = _("campaign messages")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["campaign", "language"], name="campaign_message_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.language}"


class Delivery(models.Model):
    """One message to one recipient: of a campaign (unique per campaign and user) or a notification."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent to the provider")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SKIPPED = "skipped", _("Skipped")

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(
        "skills.DiasporaProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    address = models.CharField(_("address"), max_length=254)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Notifications carry their rendered content; campaigns render from CampaignMessage at send time.
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    # A notification that rests on a consent (a funding alert rests on newsletter consent): checked again when it
    # is claimed, and the message carries the one-click unsubscribe for it. Empty for transactional messages.
    consent_purpose = models.CharField(_("consent purpose"), max_length=30, blank=True, default="", db_default="")
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The worker process (SendingWorker.name) that took this row's block; its heartbeat keeps the claim alive.
    claimed_by = models.CharField(max_length=120, blank=True, default="", db_default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=Q(campaign__isnull=False), name="delivery_once_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="delivery_notification_idempotent",
            ),
            models.CheckConstraint(
                condition=Q(campaign__isnull=False) | ~Q(kind=""), name="delivery_campaign_or_notification"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="delivery_campaign_state_idx"),
            models.Index(fields=["provider_message_id"], name="delivery_provider_id_idx"),
            models.Index(fields=["state", "claimed_at"], name="delivery_claim_idx", condition=Q(state="sending")),
            models.Index(
                fields=["claimed_by"],
                name="delivery_claimed_by_idx",
                condition=Q(state__in=["pending", "sending"]) & ~Q(claimed_by=""),
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.state})"

    @property
    def message_id(self) -> str:
        from .mail import message_id_for

        return message_id_for(self)


class SendingWorker(models.Model):
    """A worker process sending deliveries, with its heartbeat: renewed every ``OUTREACH_HEARTBEAT_SECONDS``
    while it works. When the heartbeat stops for ``OUTREACH_WORKER_DEAD_SECONDS`` the worker is taken for dead
    and the sweep gives the rows it held back to the queue (see sending.deliveries_recover)."""

    name = models.CharField(max_length=120, primary_key=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sending worker")
        verbose_name_plural = _("sending workers")

    def __str__(self) -> str:
        return self.name


class AddressHold(models.Model):
    """An e-mail address nothing is sent to any more (hard bounce or complaint reported by the provider)."""

    address = models.CharField(_("address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("address on hold")
        verbose_name_plural = _("addresses on hold")

    def __str__(self) -> str:
        return self.address


class SentMark(models.Model):
    """A message the server or gateway accepted, recorded at once by an append-only insert: one narrow row whose key
    is its only index (a delivery's own update writes seven index entries and cost five times as much in the
    database). Folded into its delivery (state ``sent``, with these values) set-based at the end of each claim
    batch, or by the sweep; every path that gives a claimed row back skips a marked one (``marks.NOT_MARKED``).
    No foreign key: the insert must stay cheap, and a mark lives only until the fold."""

    delivery_id = models.BigIntegerField(primary_key=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.sent_at}"
