"""Form behaviour shared by the apps."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .languages import missing_languages_text


class MissingLanguagesWarningMixin(forms.Form):
    """Warns an editor who publishes content that lacks a language, before it is published.

    The form names its translated fields (``translated_fields``: "title", "body"…) and how it publishes
    (``publish_field`` set to ``publish_value``). Publishing with a language empty is refused with a message that
    names the languages missing, until the editor ticks ``publish_incomplete``; what was typed is kept.
    """

    translated_fields: tuple[str, ...] = ("title",)
    publish_field = "status"
    publish_value = "published"

    publish_incomplete = forms.BooleanField(
        label=gettext_lazy("Publish even though a language is missing"),
        required=False,
        help_text=gettext_lazy("Readers of a missing language see the text in another language, with its name."),
    )

    def missing_languages(self, data: dict) -> list[str]:
        codes = [code for code, _name in settings.LANGUAGES]
        return [
            code
            for code in codes
            if any(not str(data.get(f"{name}_{code}") or "").strip() for name in self.translated_fields)
        ]

    def clean(self):
        data = super().clean()
        if data.get(self.publish_field) != self.publish_value or data.get("publish_incomplete"):
            return data
        missing = self.missing_languages(data)
        if missing:
            names = missing_languages_text(missing)
            self.add_error(
                "publish_incomplete",
                _(
                    "Not published yet: there is no text in %(languages)s. Add it, or tick this box to publish "
                    "without it."
                )
                % {"languages": names},
            )
        return data


def form_errors_from_service(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the fields it names, the rest above the form.

    A service validates on every path (page, API, import); the page shows its messages where the user typed,
    and keeps what was typed. On a formset the messages go above the rows.
    """
    if isinstance(form, BaseFormSet):
        form._non_form_errors = form.error_class(exc.messages, renderer=form.renderer)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
