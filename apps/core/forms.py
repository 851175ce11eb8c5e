"""Helpers every app's forms and views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet


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
