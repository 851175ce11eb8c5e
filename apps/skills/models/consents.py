"""Consent: one record per act of giving or withdrawing, the latest per purpose mirrored on the profile."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .profiles import DiasporaProfile


class ConsentPurpose(models.TextChoices):
    LISTED = "listed", _("Listed in the skills bank and searchable by authorities")
    EXPERT_CONTACT = "expert_contact", _("Contact for expert missions")
    NEWSLETTER_EMAIL = "newsletter_email", _("Newsletters by e-mail")
    SMS = "sms", _("Messages by SMS")


# The profile column that mirrors each purpose's current state.
CONSENT_FIELDS = {
    ConsentPurpose.LISTED: "consent_listed",
    ConsentPurpose.EXPERT_CONTACT: "consent_expert_contact",
    ConsentPurpose.NEWSLETTER_EMAIL: "consent_newsletter_email",
    ConsentPurpose.SMS: "consent_sms",
}


class ConsentRecord(models.Model):
    """One act of giving or withdrawing consent. Append-only (database trigger); the latest per purpose wins."""

    class Method(models.TextChoices):
        WIZARD = "wizard", _("Registration wizard")
        MY_DATA = "my_data", _("My data page")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")
        SMS_STOP = "sms_stop", _("SMS opt-out")
        API = "api", _("API")
        IMPORT_CLAIM = "import_claim", _("Claim of an imported profile")
        ERASURE = "erasure", _("Account erasure")

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"))
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    text_version = models.CharField(_("text version"), max_length=20)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["profile", "purpose", "-recorded_at"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} {self.recorded_at:%Y-%m-%d}"
