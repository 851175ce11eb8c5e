"""Template side of ``apps.core.formatting`` and of bidirectional isolation; loaded in every template (a builtin).

- ``|date`` keeps Django's name and arguments, but the named formats come from CLDR in the page's language:
  ``DATE_FORMAT`` "6 décembre 2026", ``SHORT_DATE_FORMAT`` "06/12/2026", ``DATETIME_FORMAT`` "6 décembre 2026,
  16:30", ``SHORT_DATETIME_FORMAT``, ``TIME_FORMAT``, and the day-month "j F" and month-year "F Y" in the locale's
  order. Other explicit patterns ("Y-m-d" in machine-readable attributes) are Django's.
- ``|number``, ``|percent`` (a ratio), ``|join_list`` ("A, B et C"); in a ``{% for %}`` loop whose items are
  markup, ``{% list_separator forloop %}`` after each item writes what CLDR puts there (", ", " et ", nothing).
- ``|bdi`` isolates user content inside interface text in HTML (``<bdi>``); ``|isolate`` does the same in plain
  text (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE), for text e-mails, CSV cells and PDFs made from text.
"""

from __future__ import annotations

from django import forms, template
from django.template import defaultfilters
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from apps.core import formatting
from apps.core.languages import language_name as _language_name

register = template.Library()

_NAMED = {
    None: lambda v: formatting.format_date(v, "long"),
    "DATE_FORMAT": lambda v: formatting.format_date(v, "long"),
    "SHORT_DATE_FORMAT": lambda v: formatting.format_date(v, "short"),
    "DATETIME_FORMAT": lambda v: formatting.format_datetime(v, "long"),
    "SHORT_DATETIME_FORMAT": lambda v: formatting.format_datetime(v, "short"),
    "TIME_FORMAT": lambda v: formatting.format_time(v, "short"),
    "j F": lambda v: formatting.format_skeleton(v, "MMMMd"),
    "F Y": lambda v: formatting.format_skeleton(v, "yMMMM"),
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter with CLDR formats for the named formats (see the module docstring)."""
    if value in (None, ""):
        return ""
    formatter = _NAMED.get(arg)
    if formatter is None or not hasattr(value, "year"):
        return defaultfilters.date(value, arg)
    try:
        return formatter(value)
    except (TypeError, ValueError, AttributeError):
        return ""


@register.filter(is_safe=False)
def number(value, decimals=None):
    if value in (None, ""):
        return ""
    try:
        return formatting.format_number(value, decimals=None if decimals is None else int(decimals))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter(is_safe=False)
def percent(value, decimals=0):
    if value in (None, ""):
        return ""
    try:
        return formatting.format_percent(value, decimals=int(decimals))
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter(is_safe=True, needs_autoescape=True)
def join_list(items, style="standard", autoescape=True):
    """Items joined as the language does ("A, B et C"); each item escaped (and kept whole if already safe)."""
    if items is None:
        return ""
    escape = conditional_escape if autoescape else str
    words = [escape(item) for item in items]
    return mark_safe(formatting.format_list(words, style=style))


@register.filter(is_safe=True, needs_autoescape=True)
def bdi(value, autoescape=True):
    """User content isolated from the interface text around it, its direction taken from its own first letter."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value if autoescape else mark_safe(value))


@register.filter(is_safe=True)
def isolate(value):
    """Plain-text isolation of user content (text e-mails, CSV cells): FSI … PDI around it."""
    return formatting.isolate(value)


@register.simple_tag
def list_separator(forloop, style="standard"):
    """After an item of a ``{% for %}`` loop, the text the language puts before the next one: ", " then " et "
    before the last in French, " و" in Arabic, nothing after the last (``|join_list`` for lists of plain text)."""
    return formatting.list_separators(forloop["counter0"] + forloop["revcounter"], style=style)[forloop["counter0"]]


@register.simple_tag
def colon():
    """The colon after a label as the language writes it (``formatting.colon``)."""
    return formatting.colon()


@register.simple_tag(name="arrow")
def arrow_tag():
    """ "From → to" pointing the way the page reads (left in Arabic)."""
    return formatting.arrow()


@register.filter
def language_label(code):
    """A language code as its name in the page's language ("fr" → "French" on an English page, "Français" on a French one)."""
    return _language_name(code)


@register.filter(is_safe=True, needs_autoescape=True)
def text_to_html(value, autoescape=True):
    """A plain-text message as HTML: line breaks kept, addresses made links that read left to right (a URL
    inside an Arabic message otherwise breaks around its punctuation)."""
    html = defaultfilters.linebreaksbr(defaultfilters.urlize(value, autoescape=autoescape), autoescape=False)
    return mark_safe(html.replace("<a ", '<a dir="ltr" '))


@register.simple_tag(name="comma")
def comma_tag():
    """ ", " between two parts of a place ("Kayes, Mali"); the Arabic comma on Arabic pages."""
    return formatting.comma()


@register.filter
def is_model_choice(value) -> bool:
    """Whether a select option's value is a row (a name people typed or reference data), not an interface choice:
    a model choice, or a row's id in choices a view built by hand (the office's person picker)."""
    return isinstance(value, forms.models.ModelChoiceIteratorValue) or (
        isinstance(value, int) and not isinstance(value, bool)
    )
