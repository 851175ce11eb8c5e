"""What the return pages share: page size, filter forms, the language links of a page, the edit-form page, and
publishing (with the check before publishing content that lacks a language)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import form_errors_from_service
from apps.core.languages import missing_languages, missing_languages_text
from apps.core.navigation import url_in_language

PAGE_SIZE = 20


def filters_of(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def language_links(request, languages: list[str]) -> list[dict]:
    names = dict(settings.LANGUAGES)
    return [{"code": code, "name": names[code], "url": url_in_language(request.path, code)} for code in languages]


def edit_page(request, *, form_class, instance, save, title, cancel_url, template="returns/editor/form.html"):
    """The page of a create or edit form: on a valid POST, ``save(cleaned_data)``; returns the saved object (the
    caller redirects) or the page, with the service's errors on the form."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("Saved."))
            return obj
    return render(request, template, {"form": form, "title": title, "cancel_url": cancel_url})


# The texts a funding opportunity or an event has in each language; publishing with one missing asks first.
CONTENT_TEXTS = ("title", "description")


def publishing_incomplete(request, obj) -> bool:
    """True (with a message naming the languages missing) when ``obj`` lacks a language and the editor did not
    tick "publish anyway" on the publish form."""
    missing = missing_languages(obj, CONTENT_TEXTS)
    if not missing or request.POST.get("publish_incomplete"):
        return False
    messages.error(
        request,
        _("Not published yet: there is no text in %(languages)s. Add it, or tick this box to publish without it.")
        % {"languages": missing_languages_text(missing)},
    )
    return True


def publish_page(request, obj, *, publish, done: str, detail: str):
    """The publish button of an event or a funding opportunity: asks first when a language is missing, calls
    ``publish()``, says ``done`` or the service's refusal, and goes back to the ``detail`` page."""
    if not publishing_incomplete(request, obj):
        try:
            publish()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    return redirect(detail, pk=obj.pk)
