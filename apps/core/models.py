"""Reference data shared by every app, and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """An ISO 3166-1 country. Names are translated (modeltranslation); partner states are flagged."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    is_amedip = models.BooleanField(_("AMEDIP partner state"), default=False)
    is_recosa = models.BooleanField(_("RECOSA state"), default=False)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def is_partner(self) -> bool:
        return self.is_amedip or self.is_recosa


class Language(models.Model):
    """An ISO 639-1 language, with its name in the portal's languages."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.code


class AuditIdentity(models.Model):
    """The pseudonym by which the audit log names a person: its id, with the label kept here, apart from the log.

    Audit events point at a row of this table instead of carrying a name or an e-mail address, so erasing a
    member blanks the label here (and sets ``erased_at``) and every event about them is left naming nobody,
    while the log itself is never rewritten (apps/core/audit.py: audit_identity_erase).
    """

    user_id = models.BigIntegerField(_("user id"), null=True, blank=True, unique=True)
    label = models.CharField(_("name"), max_length=254, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit identity")
        verbose_name_plural = _("audit identities")

    def __str__(self) -> str:
        if self.erased_at:
            return f"#{self.pk} ({_('erased')})"
        return self.label or f"#{self.pk}"


class AuditEvent(models.Model):
    """Who read, changed or exported personal data, and every workflow decision.

    Append-only: a database trigger (migration 0002) refuses UPDATE and DELETE. People are named through
    AuditIdentity (the actor, and the person an event concerns), never in the row itself, so erasing a member
    never has to touch the log. ``actor_label`` is no longer written (migration 0004 moved the old labels out).
    """

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    actor_identity = models.ForeignKey(
        AuditIdentity, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    subject_identity = models.ForeignKey(
        AuditIdentity, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person concerned")
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    @property
    def actor_name(self) -> str:
        """The actor as the log may name them now: their pseudonym's label, nothing once they are erased."""
        if self.actor_identity_id:
            return str(self.actor_identity)
        return self.actor_label


class PdfBatch(models.Model):
    """Many PDFs printed in the background as one ZIP file (certificates for a programme, letters for a list).

    A worker prints the documents one by one and counts them in ``done``, so that the page can show progress;
    the ZIP goes to the configured storage and is downloaded by the person who asked for it only.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("printed"), default=0)
    file = models.FileField(_("file"), upload_to="pdf-batches/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF batch")
        verbose_name_plural = _("PDF batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.done}/{self.total})"


# Models kept beside the code that uses them, imported here so that Django registers them.
from .idempotency import IdempotencyRecord  # noqa: E402, F401
