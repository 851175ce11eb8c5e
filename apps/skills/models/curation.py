"""Staff curation: verifications of a profile, and imported skills lists (batches and their rows)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.languages import text_in_language

from .profiles import DiasporaProfile


class VerificationCheck(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    DIPLOMA = "diploma", _("Diplomas and certificates")
    PROFESSIONAL_REGISTRATION = "professional_registration", _("Professional registration")
    EMPLOYER = "employer", _("Employer or references")
    PHONE = "phone", _("Phone number")
    INTERVIEW = "interview", _("Interview")


class ProfileVerification(models.Model):
    """One act of verifying a profile: who checked what, when. Append-only (database trigger)."""

    profile = models.ForeignKey(DiasporaProfile, on_delete=models.PROTECT, related_name="verifications")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified on"), auto_now_add=True)
    checks = ArrayField(
        models.CharField(max_length=30, choices=VerificationCheck.choices), verbose_name=_("what was checked")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("profile verification")
        verbose_name_plural = _("profile verifications")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.verified_at:%Y-%m-%d}"


class ImportBatch(models.Model):
    """An uploaded skills list (CSV or XLSX): mapped to profile fields, checked in a dry run, then applied."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    headers = ArrayField(models.CharField(max_length=200), verbose_name=_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_language = models.CharField(_("language of invitations"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # The progress of the step running (dry run or import), counted by the worker a chunk at a time: the rows
    # that step goes through (every row for the dry run, the ready ones for the import), how many it went
    # through, and how many of those it accepted (ready; imported) or rejected (errors or duplicates; not imported).
    rows_to_process = models.PositiveIntegerField(_("rows to process"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    accepted_rows = models.PositiveIntegerField(_("rows accepted"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    base_url = models.URLField(_("address of the portal for invitation links"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        if not self.rows_to_process:
            return 100 if self.status in (self.Status.CHECKED, self.Status.APPLIED) else 0
        return min(100, round(100 * self.processed_rows / self.rows_to_process))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def is_import_step(self) -> bool:
        """Importing or imported: the progress counts rows imported and not imported (else rows checked)."""
        return self.status in (self.Status.APPLYING, self.Status.APPLIED)


class ImportRow(models.Model):
    """One row of an import batch, with what the dry run found and what applying it did."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        VALID = "valid", _("Ready")
        INVALID = "invalid", _("Errors")
        DUPLICATE = "duplicate", _("Likely duplicate")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Not imported")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(_("values"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    errors = models.JSONField(_("errors"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        DiasporaProfile,
        verbose_name=_("likely duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A code ("email", "phone", "name", "row:12", "script:<names in the file>|<names of the profile>"), put into
    # words in the reader's language by duplicate_reason_text:
    # the check runs in a worker, and the report is read in French or Arabic by staff who did not upload it.
    duplicate_reason = models.CharField(_("why it looks like a duplicate"), max_length=200, blank=True)
    profile = models.ForeignKey(
        DiasporaProfile, verbose_name=_("profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique_number")]
        indexes = [models.Index(fields=["batch", "status", "number"], name="import_row_status_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"

    DUPLICATE_REASONS = {
        "email": _("Same e-mail as an existing account"),
        "phone": _("Same phone as an existing profile"),
        "name": _("Close name and same date of birth as an existing profile"),
    }

    def error_messages(self) -> dict[str, list[str]]:
        """The row's errors by field, in the active language (the check kept each message in every language;
        rows checked before that kept one text, shown as it is)."""
        return {name: [text_in_language(m) for m in messages] for name, messages in (self.errors or {}).items()}

    @property
    def duplicate_reason_text(self) -> str:
        """Why the row looks like a duplicate, in the active language (rows checked before codes keep their text)."""
        code, _sep, row = self.duplicate_reason.partition(":")
        if code == "row" and row:
            return gettext("Same e-mail or phone as row %(row)s") % {"row": row}
        if code == "script" and "|" in row:
            from apps.core.names import describe, match

            query, _bar, name = row.partition("|")
            why = describe(match(query, name), query=query, name=name)
            return gettext("Same name and date of birth as an existing profile: %(why)s") % {"why": why}
        return str(self.DUPLICATE_REASONS.get(code, self.duplicate_reason))
