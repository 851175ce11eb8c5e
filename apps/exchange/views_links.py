"""A participant evaluates through their personal link, without signing in (see ``services.people``).

The link is checked on every use; one that cannot be used gets a page saying why, in the page's language: 404 for
a link the portal did not make (or that no longer names a participant), 403 for one already used or whose
evaluations have closed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from apps.core.forms import form_errors_from_service

from . import services
from .forms import EvaluationForm
from .permissions import evaluation_deadline
from .services.people import EvaluationLinkError, evaluation_link_check, evaluation_submit_by_link

REFUSALS = {
    "invalid": (404, "invalid"),
    "expired": (403, "expired"),
    "used": (403, "used"),
}


def _refused(request, error: EvaluationLinkError):
    status, reason = REFUSALS[error.code]
    return render(request, "exchange/evaluation_link_refused.html", {"reason": reason}, status=status)


@never_cache
def evaluate_by_link(request, token: str):
    try:
        participant, _account = evaluation_link_check(token)
    except EvaluationLinkError as error:
        return _refused(request, error)
    exchange_request = participant.request
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit_by_link(token=token, fields=form.cleaned_data)
        except EvaluationLinkError as error:
            return _refused(request, error)
        except services.TransitionConflictError as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form_errors_from_service(form, error)
        else:
            return render(request, "exchange/evaluation_link_done.html", {"exchange_request": exchange_request})
    context = {
        "form": form,
        "exchange_request": exchange_request,
        "participant": participant,
        "deadline": evaluation_deadline(exchange_request),
        "title": _("Evaluate the exchange"),
    }
    return render(request, "exchange/evaluation_link_form.html", context)
