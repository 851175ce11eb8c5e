"""Languages named for people: "Title (French)" rather than modeltranslation's "Title [fr]", in the page's language.

Imported by the settings (MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME), so it imports no model.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, override


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogs without translating it. Django's own would read the settings, and this
    module is imported by the settings themselves (a production start-up with a variable missing must fail, not
    configure itself from a half-read settings module)."""
    return message


# One msgid per language, so each translation can write the language's name as its grammar wants it
# ("Titre (anglais)", "العنوان (بالإنجليزية)").
_FIELD_IN_LANGUAGE = {
    "en": gettext_noop("%(field)s (English)"),
    "fr": gettext_noop("%(field)s (French)"),
    "ar": gettext_noop("%(field)s (Arabic)"),
}
_LANGUAGE_NAMES = {"en": gettext_noop("English"), "fr": gettext_noop("French"), "ar": gettext_noop("Arabic")}


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """The language's name in the active language ("Anglais" for "en" on a French page); the code if unknown.

    ``in_sentence``: as written inside a sentence, where French writes language names in lower case
    ("en français et arabe"); English keeps its capitals and Arabic has none."""
    code = (code or "").lower()
    if code not in _LANGUAGE_NAMES:
        return code.upper()
    name = gettext(_LANGUAGE_NAMES[code])
    if in_sentence and (get_language() or "").startswith("fr"):
        name = name[:1].lower() + name[1:]
    return name


def field_in_language(verbose_name, code: str) -> str:
    """A translated field's label: the field's name and the language it holds, in words."""
    template = _FIELD_IN_LANGUAGE.get(code)
    if template is None:
        return f"{verbose_name} ({code})"
    return gettext(template) % {"field": verbose_name}


def missing_languages(obj, fields: tuple[str, ...]) -> list[str]:
    """The interface languages in which ``obj`` has an empty translated field among ``fields`` ("title"…)."""
    from django.conf import settings

    return [
        code
        for code, _name in settings.LANGUAGES
        if any(not str(getattr(obj, f"{name}_{code}", "") or "").strip() for name in fields)
    ]


def missing_languages_text(codes: list[str]) -> str:
    """ "français et arabe": the languages missing, named as in a sentence of the active language."""
    from .formatting import format_list

    return format_list(language_name(code, in_sentence=True) for code in codes)


def in_each_language(message, params: dict | None = None) -> dict[str, str]:
    """``message`` (a lazy translation, with its ``%`` parameters) written out in each interface language:
    {"en": …, "fr": …, "ar": …}. For text made in a worker and read later by people who read other languages."""
    from django.conf import settings

    texts = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            texts[code] = str(message) % params if params else str(message)
    return texts


def text_in_language(texts) -> str:
    """What ``in_each_language`` wrote, in the active language (English if it is missing); a plain string (kept
    from before) as it is."""
    from .formatting import interface_language

    if not isinstance(texts, dict):
        return str(texts)
    return texts.get(interface_language()) or texts.get("en") or next(iter(texts.values()), "")
