"""Local formats from CLDR (through Babel): the one place that turns dates, numbers and lists into text.

Pages, e-mails, PDFs and exports call these functions (templates through the ``date`` filter and the tags in
``apps.core.templatetags.formatting``), so a date reads the same in the decision log, a CSV and an e-mail:

    format_datetime(value)       "6 décembre 2026, 16:30" · "6 ديسمبر 2026، 4:30 م" · "6 December 2026, 16:30"
    format_date(value, "short")  "06/12/2026" · "6‏/12‏/2026" · "06/12/2026"
    format_number(1234.5)        "1 234,5" · "1,234.5"
    format_percent(0.125)        "12 %" · "12%"
    format_list(["A", "B", "C"]) "A, B et C" · "A وB وC" · "A, B and C"
    isolate("Kayes")             "\u2068Kayes\u2069": user content kept whole inside interface text (plain text)

The language is the active one unless ``language`` is given. Each interface language maps to one CLDR locale
(``PORTAL_FORMAT_LOCALES``: English is British English, which writes day before month). Arabic digits follow the
portal's ``PORTAL_ARABIC_DIGITS`` setting: "latn" (0-9, the default: the Maghreb states write Western digits on
official forms) or "arab" (Arabic-Indic ٠-٩, as in the Mashreq).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation

DEFAULT_FORMAT_LOCALES = {"en": "en_GB", "fr": "fr", "ar": "ar"}
WIDTHS = ("short", "medium", "long", "full")
# FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: the text between takes its direction from its own first letter
# and cannot reorder the text around it (a Latin name with a full stop inside an Arabic sentence).
FSI, PDI = "\u2068", "\u2069"

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# The separators the Arabic-Indic numbering system uses (CLDR "arab" symbols), for numbers shaped after Babel.
_ARABIC_SYMBOLS = str.maketrans({".": "٫", ",": "٬", "%": "٪"})


def interface_language(language: str | None = None) -> str:
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE.split("-")[0]


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale that formats text for ``language`` (the active language by default)."""
    mapping = {**DEFAULT_FORMAT_LOCALES, **getattr(settings, "PORTAL_FORMAT_LOCALES", {})}
    code = interface_language(language)
    return _locale(mapping.get(code, code))


def arabic_digits() -> str:
    return getattr(settings, "PORTAL_ARABIC_DIGITS", "latn")


def shape_digits(text: str, language: str | None = None, *, number: bool = False) -> str:
    """Write ``text``'s digits as the portal's Arabic pages do (no change in other languages or with "latn")."""
    if interface_language(language) != "ar" or arabic_digits() != "arab":
        return text
    if number:
        text = text.translate(_ARABIC_SYMBOLS)
    return text.translate(_ARABIC_INDIC)


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: dt.date | dt.datetime | None, width: str = "long", *, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    text = babel_dates.format_date(value, format=width, locale=babel_locale(language))
    return shape_digits(text, language)


def format_time(value: dt.time | dt.datetime | None, width: str = "short", *, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).timetz()
    text = babel_dates.format_time(value, format=width, locale=babel_locale(language))
    return shape_digits(text, language)


def format_datetime(
    value: dt.datetime | None, width: str = "long", *, time_width: str = "short", language: str | None = None
) -> str:
    """A date and a time in the locale's order and words ("6 décembre 2026 à 16:30"), local time, no seconds."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        return format_date(value, width, language=language)
    value = _local(value)
    locale = babel_locale(language)
    pattern = babel_dates.get_datetime_format(width, locale=locale)
    date_text = babel_dates.format_date(value.date(), format=width, locale=locale)
    time_text = babel_dates.format_time(value.timetz(), format=time_width, locale=locale)
    text = _fill_datetime_pattern(str(pattern), date_text, time_text)
    return shape_digits(text, language)


def _fill_datetime_pattern(pattern: str, date_text: str, time_text: str) -> str:
    """CLDR's glue pattern ("{1}، {0}", older data "{1} 'à' {0}"): {1} is the date, {0} the time, quoted text is literal."""
    out, quoted, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            if pattern[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            quoted = not quoted
        elif not quoted and pattern.startswith("{0}", i):
            out.append(time_text)
            i += 3
            continue
        elif not quoted and pattern.startswith("{1}", i):
            out.append(date_text)
            i += 3
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def format_skeleton(value: dt.date | dt.datetime | None, skeleton: str, *, language: str | None = None) -> str:
    """A date in a CLDR skeleton ("MMMMd" for "6 décembre", "yMMMM" for "décembre 2026") in the locale's order."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    text = babel_dates.format_skeleton(skeleton, value, locale=babel_locale(language))
    return shape_digits(text, language)


def format_number(value: int | float | Decimal | None, *, decimals: int | None = None, language=None) -> str:
    if value is None or value == "":
        return ""
    locale = babel_locale(language)
    if decimals is None:
        text = babel_numbers.format_decimal(value, locale=locale)
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = babel_numbers.format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)
    return shape_digits(text, language, number=True)


def format_percent(value: int | float | Decimal | None, *, decimals: int = 0, language: str | None = None) -> str:
    """``value`` is a ratio: 0.125 is "12 %" in French (CLDR spacing and sign placement)."""
    if value is None or value == "":
        return ""
    locale = babel_locale(language)
    pattern = locale.percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1)
    text = babel_numbers.format_percent(value, format=pattern, locale=locale, decimal_quantization=True)
    return shape_digits(text, language, number=True)


def comma(language: str | None = None) -> str:
    """The comma between two parts of a place or a name ("Kayes، مالي"): Arabic writes its own comma."""
    return "، " if interface_language(language) == "ar" else ", "


def colon(language: str | None = None) -> str:
    """The colon after a label as the language writes it: French puts a no-break space before it ("Résultat :").
    No space after: the caller writes what follows."""
    return "\u00a0:" if interface_language(language) == "fr" else ":"


def arrow(language: str | None = None) -> str:
    """ "From → to" as the reading goes: "السنغال ← المغرب" in Arabic, "Sénégal → Maroc" in French."""
    return "←" if translation.get_language_info(interface_language(language))["bidi"] else "→"


def format_list(items: Iterable, *, style: str = "standard", language: str | None = None) -> str:
    """Join items as the language does: "A, B et C", "A وB وC", "A, B and C" ("or" lists: style="or")."""
    words = [str(item) for item in items if item is not None and str(item) != ""]
    if not words:
        return ""
    return babel_lists.format_list(words, style=style, locale=babel_locale(language))


def list_separators(count: int, *, style: str = "standard", language: str | None = None) -> list[str]:
    """The text CLDR writes after each of ``count`` items ("A, B et C": [", ", " et ", ""]), for lists whose
    items are markup (a template's ``{% for %}`` loop): the same result as ``format_list`` with the items apart."""
    if count <= 0:
        return []
    return list(_separators(count, style, babel_locale(language)))


@lru_cache(maxsize=256)
def _separators(count: int, style: str, locale: Locale) -> tuple[str, ...]:
    marks = [f"\x00{n}\x00" for n in range(count)]
    parts = babel_lists.format_list(marks, style=style, locale=locale).split("\x00")  # "", "0", sep, "1", …, ""
    return (*[parts[2 * n + 2] for n in range(count - 1)], "")


def isolate(value) -> str:
    """User content inside interface text, in plain text (text e-mails, spreadsheet cells, PDFs from text):
    FSI … PDI around it, so its own direction holds and it does not reorder the sentence around it."""
    if value is None or value == "":
        return ""
    return f"{FSI}{value}{PDI}"
