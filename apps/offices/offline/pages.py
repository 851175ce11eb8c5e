"""The installable offline intake: the intake page, its web app manifest and its service worker.

The page holds no personal data: the signed-in user's offices, the device key (the user's on this device) and the
office's recent clients come from the sync API (GET /api/v1/offline/session/ and /persons/) and live encrypted in the
device's IndexedDB. So the service worker may keep the page and its static files in the Cache API, and nothing it
caches names anyone.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Country
from apps.core.permissions import role_required

from ..forms import QuickLogForm
from ..models import Office, Person
from ..permissions import STAFF_ROLES

# The files the page needs, cached by the service worker on install (the Bootstrap build follows the direction).
STATIC_FILES = (
    "css/portal.css",
    "offices/offline/intake.css",
    "offices/offline/queue.js",
    "offices/offline/sync.js",
    "offices/offline/intake.js",
    "offices/offline/signout.js",
    "offices/offline/icon-192.png",
    "offices/offline/icon-512.png",
    "favicon.svg",
)
THEME_COLOR = "#0b4f6c"
# The sync API's place is fixed by its contract (docs: the offline contract of #21), not by this app's URL names.
API_ROOT = "/api/v1/offline/"


class ClientEditForm(forms.Form):
    """The fields of a cached client a counsellor may correct offline; queued as a person.update."""

    name_latin = forms.CharField(label=gettext_lazy("Name (Latin script)"), max_length=200, required=False)
    name_arabic = forms.CharField(label=gettext_lazy("Name (Arabic script)"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    residence_country = forms.ModelChoiceField(
        label=gettext_lazy("Country of residence"), queryset=Country.objects.all(), required=False
    )


def _intake_form() -> QuickLogForm:
    """The quick-log's form, for its labels and choices only: offices, clients and staff come from the device."""
    form = QuickLogForm(
        offices=Office.objects.none(), persons=Person.objects.none(), staff=User.objects.none(), auto_id="id_%s"
    )
    form.fields["person_query"].help_text = _(
        "Type a name in either script; the office's recent clients are kept on this device. "
        "For a new client, leave it empty and fill in the fields below."
    )
    return form


def messages_catalog() -> dict[str, str]:
    """What the device's scripts say, in the page's language. Placeholders in braces are filled by the script."""
    return {
        "queued": _("Queued"),
        "sending": _("Sending"),
        "synced": _("Synced"),
        "duplicate": _("Needs review: possible duplicate"),
        "conflict": _("Conflict: needs review"),
        "rejected": _("Rejected"),
        "unreadable": _("Unreadable on this device"),
        "open_review": _("Review"),
        "count": _("Queued on this device: {count} of at most {max}"),
        "full": _("The device queue is full ({max} items). Sync before logging more."),
        "saved": _("Saved on this device. It will be sent when the connection returns."),
        "update_saved": _("The change to the client is saved on this device and will be sent at the next sync."),
        "notes_recorded": _("Notes recorded"),
        "online": _("Online"),
        "offline": _("Offline: your work is kept on this device"),
        "syncing": _("Sending the queue…"),
        "sync_done": _("Sync finished."),
        "sync_failed": _("The connection dropped during the sync; it will resume by itself."),
        "retry_in": _("Next attempt in {seconds} s."),
        "signed_out": _("Sign in once with a connection to use the offline intake on this device."),
        "locked": _(
            "Locked after {minutes} minutes without use. Connect to the network and sign in again if asked: the "
            "queued items stay encrypted on this device and unlock for you."
        ),
        "other_user": _("This device held another user's queue; it has been erased."),
        "need_client": _("Choose a client or fill in the new client's name."),
        "need_summary": _("Write a summary."),
        "need_topic": _("Choose at least one topic."),
        "need_office": _("Choose an office."),
        "bad_year": _("The birth year must be between 1900 and 2100."),
        "bad_email": _("Enter a valid e-mail address."),
        "no_match": _("No client on this device matches «{query}». Leave the search empty to add a new client."),
        "found": _("Clients found on this device: {count}"),
        "new_client": _("new client"),
        "contact_for": _("Contact for {name}"),
        "update_for": _("Changes to {name}"),
        "clients_cached": _("Recent clients kept on this device: {count}"),
        "no_changes": _("Nothing was changed."),
        "signout_warning": _(
            "{count} items on this device have not been sent yet. Signing out erases them from this device "
            "for good. Sign out anyway?"
        ),
        "unreadable_help": _(
            "These items were encrypted with a key that is no longer valid (the password was changed); they cannot be "
            "read or sent."
        ),
        "discard": _("Discard unreadable items"),
    }


@role_required(*STAFF_ROLES)
def intake(request):
    """The intake page (quick-log, family-reported contacts, follow-ups, corrections to a client), offline-ready."""
    language = get_language()
    response = render(
        request,
        "offices/offline/intake.html",
        {
            "form": _intake_form(),
            "edit_form": ClientEditForm(prefix="edit"),
            "catalog": messages_catalog(),
            "config": {
                "session": f"{API_ROOT}session/",
                "persons": f"{API_ROOT}persons/",
                "sync": f"{API_ROOT}sync/",
                "worker": reverse("offices:offline-worker"),
                "scope": reverse("offices:offline-intake"),
                "language": language,
            },
        },
    )
    # The service worker keeps its own copy; the browser's HTTP cache keeps none (a new sign-in, a new page).
    response["Cache-Control"] = "no-cache, private"
    return response


def _static_urls() -> list[str]:
    bootstrap = (
        "vendor/bootstrap/bootstrap.rtl.min.css" if get_language_bidi() else "vendor/bootstrap/bootstrap.min.css"
    )
    return [static(name) for name in (bootstrap, *STATIC_FILES)]


@lru_cache(maxsize=1)
def _files_version() -> str:
    """A digest of the static files' contents: a new release gives a new cache, so no device keeps old scripts."""
    digest = hashlib.sha256()
    for name in ("vendor/bootstrap/bootstrap.min.css", *STATIC_FILES, "offices/offline/worker.js"):
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


def worker(request):
    """The service worker, served from the intake's own path so that its scope is the intake (and only it)."""
    scope = reverse("offices:offline-intake")
    template = finders.find("offices/offline/worker.js")
    with open(template, encoding="utf-8") as handle:
        body = handle.read()
    config = {
        "version": f"{get_language()}-{_files_version()}",
        "page": scope,
        "files": [reverse("offices:offline-manifest"), *_static_urls()],
    }
    body = f"self.OFFLINE_CONFIG = {json.dumps(config)};\n{body}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    """The web app manifest, in the page's language and direction."""
    scope = reverse("offices:offline-intake")
    data = {
        "name": _("Offline intake · %(portal)s") % {"portal": settings.PORTAL_NAME},
        "short_name": _("Offline intake"),
        "description": _("Log contacts without a connection; they are sent when the network returns."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": scope,
        "scope": scope,
        "id": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("offices/offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offices/offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("offices/offline/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
