"""Validators shared by forms, serializers and imports: one function per rule, whichever path the data takes."""

import re
import unicodedata
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
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


def phone_normalise(value: str, *, region: str | None = None) -> str:
    """``value`` as E.164 (+221771234567), or ValidationError. ``region`` (ISO 3166 code) reads national numbers."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter a valid phone number in international format, for example +221 77 123 45 67."),
            code="invalid_phone",
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number is not valid. Check the country code and the number of digits."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_birth_date(value: date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future_birth_date")
    if value.year < today.year - 120:
        raise ValidationError(_("Check the year of birth."), code="implausible_birth_date")
