"""What an uploaded exchange document must be, checked in one place: on the model fields, so the services'
``full_clean`` applies the same rule to a page's form and to the API's multipart upload.

Only a file being sent now is read; a file already stored is not opened again on every save.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PDF_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".jpg", ".jpeg", ".png")


def _being_sent(value) -> bool:
    return bool(value) and not getattr(value, "_committed", True)


def _starts_like_a_pdf(value) -> bool:
    upload = value.file
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    return head == b"%PDF-"


def _check_pdf(value, not_a_pdf) -> None:
    if not _being_sent(value):
        return
    if not _starts_like_a_pdf(value):
        raise ValidationError(not_a_pdf, code="not_pdf")
    if value.size > PDF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")


def validate_programme_pdf(value) -> None:
    """A schedule's programme: a PDF (by its content, whatever its name), up to 5 MB."""
    _check_pdf(value, _("The programme must be a PDF file."))


def validate_terms_of_reference_pdf(value) -> None:
    """An expert assignment's terms of reference: a PDF (by its content, whatever its name), up to 5 MB."""
    _check_pdf(value, _("The terms of reference must be a PDF file."))


def validate_report_attachment(value) -> None:
    """A report's attachment: a PDF, an office document or an image (by its name), up to 10 MB."""
    if not _being_sent(value):
        return
    if not value.name.lower().endswith(ATTACHMENT_EXTENSIONS):
        raise ValidationError(_("Attach a PDF, an office document or an image."), code="file_type")
    if value.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
