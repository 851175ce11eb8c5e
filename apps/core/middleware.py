"""Requests refused before any view runs."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from .api.errors import error_body


class NulCharacterMiddleware:
    """A NUL character in the path or the query string is never legitimate input, and PostgreSQL cannot store or
    compare it: answer 400 at once (the API in its one error shape) instead of failing deep in a query.
    Form fields refuse it already (Django's and DRF's character fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for values in request.GET.lists() for value in values[1]):
            message = _("The address contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("invalid", message), status=400)
            return bad_request(request, exception=None)
        return self.get_response(request)
