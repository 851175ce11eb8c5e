from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .api.errors import error_body
from .navigation import items_for
from .permissions import user_roles
from .roles import Role

ROLE_DESCRIPTIONS = {
    Role.MEMBER: gettext_lazy("Your profile, skills, consents and subscriptions; events; calls for experts."),
    Role.OFFICE_STAFF: gettext_lazy("Log contacts, manage your office's clients and return plans, search and refer."),
    Role.OFFICE_MANAGER: gettext_lazy("Everything office staff can do, plus your office's staff and reports."),
    Role.FOCAL_POINT: gettext_lazy("Draft and submit exchange requests for your institution, and report afterwards."),
    Role.APPROVER: gettext_lazy("Decide on exchange requests that concern your country."),
    Role.COORDINATOR: gettext_lazy("Final approval, expert matching and scheduling of exchanges."),
    Role.OUTREACH_MANAGER: gettext_lazy("Segments and campaigns."),
    Role.CONTENT_EDITOR: gettext_lazy("Information sheets, funding opportunities and events in three languages."),
    Role.ANALYST: gettext_lazy("Aggregate reports, never personal records."),
    Role.ADMINISTRATOR: gettext_lazy("Reference data, users and the administration site."),
}


def home(request):
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    roles = user_roles(request.user)
    items = items_for(request.user)
    cards = []
    for role in Role:
        if role.value not in roles:
            continue
        links = [item for item in items if role.value in item.roles]
        cards.append({"role": role, "description": ROLE_DESCRIPTIONS[role], "links": links})
    return render(request, "core/dashboard.html", {"cards": cards})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - report any failure as the component's state
        return type(exc).__name__
    return None


def _check_redis() -> str | None:
    try:
        key = "healthz:probe"
        cache.set(key, "ok", 10)
        if cache.get(key) != "ok":
            return "read-back mismatch"
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


def _check_celery() -> tuple[str | None, int]:
    from diaspora_portal.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTHZ_CELERY_TIMEOUT, limit=1) or []
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__, 0
    if not replies:
        return "no worker answered", 0
    return None, len(replies)


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    db_error = _check_database()
    redis_error = _check_redis()
    celery_error, workers = _check_celery() if redis_error is None else ("redis unavailable", 0)
    checks = {
        "database": {"ok": db_error is None, "error": db_error},
        "redis": {"ok": redis_error is None, "error": redis_error},
        "celery": {"ok": celery_error is None, "error": celery_error, "workers": workers},
    }
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def livez(request):
    """Liveness for an orchestrator: the process answers. Nothing outside it is checked, so that an outage of the
    database or of Redis never makes the orchestrator restart every web process at once."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness of a web process: it can serve pages (database and Redis answer). Unlike /healthz it does not
    ask for a Celery worker, so web processes keep serving while workers restart."""
    checks = {"database": _check_database(), "redis": _check_redis()}
    ready = all(error is None for error in checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {k: {"ok": v is None, "error": v} for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_404(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("permission_denied", _("You do not have permission to do this.")), status=403)
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("bad_request", _("The request could not be understood.")), status=400)
    return render(request, "400.html", status=400)


def error_500(request):
    if _wants_json(request):
        return JsonResponse(
            error_body("server_error", _("Something went wrong on our side. The error has been logged.")), status=500
        )
    return render(request, "500.html", status=500)


@login_required
@never_cache
def pdf_batch_detail(request, pk: int):
    """How far a batch of PDFs is; the page reloads itself until it is ready (no JavaScript needed)."""
    from .models import PdfBatch
    from .pdf_batches import pdf_batch_get

    batch = pdf_batch_get(user=request.user, pk=pk)
    waiting = batch.status in (PdfBatch.Status.QUEUED, PdfBatch.Status.RUNNING)
    return render(request, "core/pdf_batch.html", {"batch": batch, "waiting": waiting})


@login_required
@never_cache
def pdf_batch_download(request, pk: int):
    from django.http import FileResponse, Http404

    from .models import PdfBatch
    from .pdf_batches import pdf_batch_download_record, pdf_batch_get

    batch = pdf_batch_get(user=request.user, pk=pk)
    if batch.status != PdfBatch.Status.DONE or not batch.file:
        raise Http404
    pdf_batch_download_record(batch=batch, actor=request.user, request=request)
    response = FileResponse(batch.file.open("rb"), as_attachment=True, filename=f"documents-{batch.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response
