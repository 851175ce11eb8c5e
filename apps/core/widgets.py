"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class _Chips:
    """``static/js/chips.js`` turns the select into a type-ahead combobox showing each choice as a removable chip.

    Without JavaScript it stays the plain select it renders. ``source``: the address of a taxonomy search
    (``?q=…&lang=…`` answering ``{"results": [{"code", "label"}]}``) for vocabularies that need the forgiving
    search; otherwise the options are filtered in the page. ``propose``: the name of a text field of the same
    form where a term that matches nothing can be written in instead.
    """

    def __init__(self, attrs=None, choices=(), *, source: str = "", propose: str = ""):
        super().__init__(attrs, choices)
        self.source = source
        self.propose = propose

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-chips"] = "multiple" if self.allow_multiple_selected else "single"
        if self.source:
            widget_attrs["data-chips-source"] = str(self.source)
        if self.propose:
            widget_attrs["data-chips-propose"] = self.propose
        return context


class ChipSelectMultiple(_Chips, forms.SelectMultiple):
    """Several choices; without JavaScript a ``<select multiple>`` with a hint on how to choose several."""

    nojs_hint = _("Hold Ctrl (or Cmd) to choose several.")

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<span class="form-text chips-fallback">{}</span>', html, self.nojs_hint)


class ChipSelect(_Chips, forms.Select):
    """One choice (one chip); without JavaScript a plain ``<select>``."""
