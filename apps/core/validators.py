"""Validators shared by forms and serializers."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides/isolates and zero-width characters: invisible, and used to disguise text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def validate_no_control_characters(value: str) -> None:
    """Refuse control characters other than tab and line breaks (NUL cannot even be stored by PostgreSQL)."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise ValidationError(_("This text contains control characters."), code="control_characters")


def validate_clean_text(value: str) -> None:
    """Refuse invisible direction-control and zero-width characters, and other control characters."""
    if _INVISIBLE.search(value):
        raise ValidationError(
            _("Remove the invisible direction or zero-width characters from this text."), code="invisible_characters"
        )
    validate_no_control_characters(value)
