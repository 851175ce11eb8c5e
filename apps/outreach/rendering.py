"""Placeholders, SMS length, unsubscribe tokens: the pure parts of composing a message."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.formatting import format_list

# The placeholders an author may use, and what each one is filled with.
PLACEHOLDERS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "full_name": gettext_lazy("full name"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

SMS_MAX_SEGMENTS = 10

# GSM 03.38 basic character set; the extension characters count twice.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def placeholders_check(text: str) -> None:
    """ValidationError if ``text`` uses a placeholder that does not exist."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Available: %(known)s.")
            % {
                "names": format_list("{" + name + "}" for name in unknown),
                "known": format_list("{" + name + "}" for name in PLACEHOLDERS),
            }
        )


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# The sample recipient whose names a preview and an SMS cost estimate fill the placeholders with.
SAMPLE_VALUES = {"first_name": "Amina", "last_name": "Diallo", "full_name": "Amina Diallo"}


def recipient_values(profile, language: str) -> dict[str, str]:
    """The placeholders' values for a message in ``language`` (names in Arabic script in an Arabic message, when
    the member gave them)."""
    if profile is None:
        return {"first_name": "", "last_name": "", "full_name": ""}
    first, last = profile.names_in(language)
    return {"first_name": first, "last_name": last, "full_name": f"{first} {last}".strip()}


def sms_length(text: str) -> dict:
    """Encoding, length in characters of that encoding, and how many SMS segments ``text`` takes."""
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        # UCS-2 (UTF-16): characters outside the basic plane take two units.
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 0 if units == 0 else 1 if units <= single else -(-units // multi)
    return {"encoding": encoding, "length": units, "segments": segments}


def sms_opt_out_text() -> str:
    return _("Reply STOP to opt out.")


# What a person may answer to stop SMS, in English, French and Arabic, as ``sms_words`` writes them: capitals, no
# accents or Arabic short vowels and hamza seats (إلغاء → الغاء), punctuation and spacing dropped.
SMS_STOP_WORDS = frozenset(
    {
        "STOP", "STOPALL", "STOP ALL", "STOP SMS", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT OUT",
        "ARRET", "ARRETER", "ARRETEZ", "ARRET SMS", "STOPPER", "DESABONNER", "DESABONNEMENT", "DESINSCRIRE",
        "DESINSCRIPTION",
        "توقف", "توقيف", "ايقاف", "اوقف", "قف", "وقف", "الغاء", "الغاء الاشتراك", "الغاء الرسائل",
    }
)  # fmt: skip
_SMS_WORD = re.compile(r"[^\w]+")


def sms_words(text: str) -> str:
    """``text`` reduced for keyword matching: decomposed and stripped of combining marks (accents, Arabic
    vowels and hamza), tatweel removed, upper case, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\u0640")
    return " ".join(_SMS_WORD.sub(" ", kept.upper()).split())


def sms_is_stop(text: str) -> bool:
    """Whether an SMS received asks to stop SMS: the whole message is one of the stop words (as gateways do,
    so that "stop at the bus station…" is not taken for one)."""
    return sms_words(text) in SMS_STOP_WORDS


# Unsubscribe tokens: signed, with the profile, the consent purpose and the delivery; valid for a time.
_SALT = "outreach.unsubscribe"


def unsubscribe_token(*, profile_id: int, purpose: str, delivery_id: int) -> str:
    return signing.dumps({"p": profile_id, "c": purpose, "d": delivery_id}, salt=_SALT)


def unsubscribe_token_read(token: str) -> dict:
    """The token's content; ``signing.SignatureExpired`` or ``signing.BadSignature`` if it is not good."""
    return signing.loads(token, salt=_SALT, max_age=settings.OUTREACH_UNSUBSCRIBE_TOKEN_MAX_AGE)
