"""Staff pages of the skills bank: search, export, profile and verification, imports, vocabulary curation."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import audit_record
from apps.core.db import reads_from_replica
from apps.core.formatting import colon, format_number
from apps.core.names import explain
from apps.core.pagination import page_of
from apps.core.permissions import has_role, role_required
from apps.core.roles import OFFICE_ROLES as VACANCY_MATCH_ROLES
from apps.core.validators import validate_clean_text

from .filters import FILTER_FIELDS, FRESH_DAYS, profile_filter_form
from .models import DiasporaProfile, EngagementInterest, ImportBatch, ImportRow, Sector, Skill, VerificationCheck
from .permissions import (
    CURATE_ROLES,
    EXPORT_ROLES,
    IMPORT_ROLES,
    SEARCH_ROLES,
    can_export_profiles,
    can_verify_profile,
    can_view_import,
)
from .selectors.search import highlight, listed_profiles, profile_search, profile_search_prefetch
from .services import (
    import_batch_apply_start,
    import_batch_check_start,
    import_batch_upload,
    profile_export,
    profile_search_record,
    profile_verify,
    skill_create,
    skill_proposal_merge,
)
from .services.imports import IMPORT_FIELDS, REQUIRED_FIELDS
from .services.staff import skill_proposal_list
from .views_member import cv_file_response

PAGE_SIZE = 20

# Search -----------------------------------------------------------------------------------------------------


def _is_fresh(profile: DiasporaProfile, threshold) -> bool:
    return profile.last_confirmed_at is not None and profile.last_confirmed_at >= threshold


def result_rows(profiles, words: list[str], query: str = "") -> list[dict]:
    """What the result list shows of each profile, with the query's words highlighted (escaped HTML), and why
    the names matched when it was in another script or spelling."""
    threshold = timezone.now() - timedelta(days=FRESH_DAYS)
    rows = []
    for profile in profiles:
        skills = [ps.skill.label if ps.skill_id else ps.proposed_text for ps in profile.skills.all()]
        rows.append(
            {
                "profile": profile,
                "name": highlight(profile.full_name, words),
                "name_ar": highlight(profile.full_name_ar, words),
                "name_match": explain(query, f"{profile.full_name} {profile.full_name_ar}") if query else "",
                "job_title": highlight(profile.job_title, words),
                "employer": highlight(profile.employer, words),
                "skills": [highlight(label, words) for label in skills[:12]],
                "more_skills": max(0, len(skills) - 12),
                "occupations": [highlight(o.label, words) for o in profile.occupations.all()],
                "sectors": [highlight(s.label, words) for s in profile.sectors.all()],
                "languages": [pl.language.name for pl in profile.languages.all()],
                "fresh": _is_fresh(profile, threshold),
            }
        )
    return rows


def _querystring(request, **drop) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    return params.urlencode()


@role_required(*SEARCH_ROLES)
@reads_from_replica
def search(request):
    submitted = any(key in request.GET for key in ("q", *FILTER_FIELDS))
    form = profile_filter_form(request.GET if submitted else {})
    context = {"form": form, "submitted": submitted, "can_export": can_export_profiles(request.user)}
    if submitted and form.is_valid():
        result = profile_search(user=request.user, params=request.GET)
        paginator = Paginator(profile_search_prefetch(result.queryset), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        truncated = result.truncated(paginator.count)
        profile_search_record(
            search=result, actor=request.user, count=paginator.count, truncated=truncated, request=request
        )
        if truncated:
            count_label = _(
                "More than %(count)s profiles match. The first %(count)s found are listed, best first: "
                "add words or filters to narrow the search."
            ) % {"count": format_number(result.limit)}
        else:
            count_label = ngettext("%(count)s profile found", "%(count)s profiles found", paginator.count) % {
                "count": format_number(paginator.count)
            }
        context.update(
            page=page,
            count=paginator.count,
            truncated=truncated,
            rows=result_rows(page.object_list, result.words, result.query),
            querystring=_querystring(request),
            count_label=count_label,
        )
    return render(request, "skills/staff/search.html", context)


@role_required(*EXPORT_ROLES)
@reads_from_replica
def search_export(request, file_format: str):
    form = profile_filter_form(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the search before exporting it."))
        return redirect(_search_url(request))
    result = profile_search(user=request.user, params=request.GET)
    content, _count = profile_export(search=result, actor=request.user, file_format=file_format, request=request)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="skills-bank-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


def _search_url(request) -> str:
    from django.urls import reverse

    query = _querystring(request)
    return reverse("skills:staff-search") + (f"?{query}" if query else "")


# Profile and verification -----------------------------------------------------------------------------------


class VerifyForm(forms.Form):
    checks = forms.MultipleChoiceField(
        label=gettext_lazy("What was checked"),
        choices=VerificationCheck.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _visible_profile(request, pk: int) -> DiasporaProfile:
    queryset = profile_search_prefetch(listed_profiles(request.user)).select_related("verified_by")
    profile = queryset.filter(pk=pk).first()
    if profile is None:
        raise Http404
    return profile


@role_required(*SEARCH_ROLES)
def profile_detail(request, pk: int):
    profile = _visible_profile(request, pk)
    audit_record(actor=request.user, action="profile.view", obj=profile, request=request)
    form = VerifyForm()
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid() and can_verify_profile(request.user, profile):
            try:
                profile_verify(
                    profile=profile,
                    actor=request.user,
                    checks=form.cleaned_data["checks"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The profile is marked as verified."))
                return redirect("skills:staff-profile", pk=profile.pk)
    row = result_rows([profile], [])[0]
    return render(
        request,
        "skills/staff/profile.html",
        {
            "profile": profile,
            "row": row,
            "form": form,
            "verifications": [
                (v, [VerificationCheck(c).label for c in v.checks if c in VerificationCheck.values])
                for v in profile.verifications.select_related("verified_by")[:20]
            ],
            "interests": [
                EngagementInterest(i).label for i in profile.engagement_interests if i in EngagementInterest.values
            ],
            "education": profile.education.select_related("level", "field", "country"),
            "can_verify": can_verify_profile(request.user, profile),
            "can_match_vacancies": has_role(request.user, *VACANCY_MATCH_ROLES),  # returns' own rule for that page
        },
    )


@role_required(*SEARCH_ROLES)
def profile_cv(request, pk: int):
    """The CV of a profile the staff member may see (the search's scope), as a download; the read is audited."""
    profile = listed_profiles(request.user).filter(pk=pk).only("pk", "cv").first()
    if profile is None or not profile.cv:
        raise Http404
    response = cv_file_response(profile)
    audit_record(actor=request.user, action="profile.cv_download", obj=profile, request=request)
    return response


# Imports ----------------------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Skills list"),
        help_text=gettext_lazy("A CSV file (UTF-8) or an Excel workbook (.xlsx); the first line names the columns."),
    )
    default_language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitations when a row does not give one"),
        choices=settings.LANGUAGES,
    )


class MappingForm(forms.Form):
    """One select per profile field, listing the file's columns."""

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —"))] + [(str(i), header) for i, header in enumerate(batch.headers)]
        for name, label in IMPORT_FIELDS.items():
            initial = batch.mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=columns,
                required=name in REQUIRED_FIELDS,
                initial="" if initial is None else str(initial),
            )


def _batches_for(user):
    from .permissions import import_organisation_ids

    return ImportBatch.objects.filter(organisation_id__in=import_organisation_ids(user)).select_related("uploaded_by")


@role_required(*IMPORT_ROLES)
def imports(request):
    form = UploadForm(initial={"default_language": get_language()})
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_batch_upload(
                    actor=request.user,
                    name=upload.name,
                    content=upload.read(),
                    default_language=form.cleaned_data["default_language"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect("skills:staff-import", pk=batch.pk)
    batches = _batches_for(request.user)[:50]
    return render(request, "skills/staff/imports.html", {"form": form, "batches": batches})


def _visible_batch(request, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by", "organisation"), pk=pk)
    if not can_view_import(request.user, batch):
        raise Http404
    return batch


ROW_FILTERS = {
    "problems": (ImportRow.Status.INVALID, ImportRow.Status.DUPLICATE, ImportRow.Status.FAILED),
    "invalid": (ImportRow.Status.INVALID,),
    "duplicate": (ImportRow.Status.DUPLICATE,),
    "ready": (ImportRow.Status.VALID,),
    "imported": (ImportRow.Status.IMPORTED,),
    "failed": (ImportRow.Status.FAILED,),
}


def _status_counts(batch: ImportBatch) -> dict[str, int]:
    from django.db.models import Count

    return dict(batch.rows.values_list("status").annotate(n=Count("id")).order_by())


def _report_rows(batch: ImportBatch, page) -> list[dict]:
    mapping = batch.mapping
    out = []
    for row in page.object_list:

        def value(name, row=row):
            index = mapping.get(name)
            return row.raw[index] if index is not None and index < len(row.raw) else ""

        errors = []
        for field, messages_ in row.error_messages().items():
            label = IMPORT_FIELDS.get(field, "")
            errors += [f"{label}{colon()} {m}" if label else m for m in messages_]
        out.append(
            {
                "row": row,
                "email": value("email"),
                "name": f"{value('first_name')} {value('last_name')}".strip(),
                "errors": errors,
            }
        )
    return out


@role_required(*IMPORT_ROLES)
def import_detail(request, pk: int):
    batch = _visible_batch(request, pk)
    show = request.GET.get("show", "problems")
    statuses = ROW_FILTERS.get(show, ROW_FILTERS["problems"])
    rows = batch.rows.filter(status__in=statuses).select_related("duplicate_of").order_by("number")
    page = page_of(request, rows, 50)
    mapping_form = None
    if batch.status in (ImportBatch.Status.UPLOADED, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED):
        mapping_form = MappingForm(batch=batch)
    return render(
        request,
        "skills/staff/import_detail.html",
        {
            "batch": batch,
            "mapping_form": mapping_form,
            "counts": _status_counts(batch),
            "page": page,
            "report": _report_rows(batch, page),
            "show": show,
            "row_filters": [
                ("problems", _("Errors and duplicates")),
                ("ready", _("Ready")),
                ("imported", _("Imported")),
                ("failed", _("Not imported")),
            ],
            "statuses": ImportRow.Status,
            "poll_seconds": settings.SKILLS_IMPORT_PROGRESS_POLL_SECONDS,
        },
    )


@role_required(*IMPORT_ROLES)
def import_progress(request, pk: int):
    """The progress fragment the detail page polls while the worker runs; once the step has ended, the answer is
    286, which tells htmx to stop polling (after swapping in the final counters)."""
    batch = _visible_batch(request, pk)
    status = 286 if request.headers.get("HX-Request") and not batch.is_running else 200
    context = {"batch": batch, "poll_seconds": settings.SKILLS_IMPORT_PROGRESS_POLL_SECONDS}
    return render(request, "skills/staff/_import_progress.html", context, status=status)


@require_POST
@role_required(*IMPORT_ROLES)
def import_check(request, pk: int):
    batch = _visible_batch(request, pk)
    form = MappingForm(request.POST, batch=batch)
    if form.is_valid():
        mapping = {name: int(value) for name, value in form.cleaned_data.items() if value not in ("", None)}
        try:
            import_batch_check_start(batch=batch, mapping=mapping, actor=request.user, request=request)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            return redirect("skills:staff-import", pk=batch.pk)
    return render(
        request,
        "skills/staff/import_detail.html",
        {"batch": batch, "mapping_form": form, "counts": _status_counts(batch), "page": None, "report": []},
        status=400,
    )


@require_POST
@role_required(*IMPORT_ROLES)
def import_apply(request, pk: int):
    batch = _visible_batch(request, pk)
    try:
        import_batch_apply_start(batch=batch, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("skills:staff-import", pk=batch.pk)


# Vocabulary curation ----------------------------------------------------------------------------------------


class MergeForm(forms.Form):
    proposed_text = forms.CharField(widget=forms.HiddenInput, max_length=200)
    skill = forms.ModelChoiceField(
        label=gettext_lazy("Vocabulary entry"), queryset=Skill.objects.order_by("label"), to_field_name="code"
    )


@role_required(*CURATE_ROLES)
def vocabulary(request):
    form = None
    if request.method == "POST":
        form = MergeForm(request.POST)
        if form.is_valid():
            try:
                changed = skill_proposal_merge(
                    proposed_text=form.cleaned_data["proposed_text"],
                    skill=form.cleaned_data["skill"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The proposed skill now points to the vocabulary in %(count)s profile.",
                        "The proposed skill now points to the vocabulary in %(count)s profiles.",
                        changed,
                    )
                    % {"count": changed},
                )
                return redirect("skills:staff-vocabulary")
    page = page_of(request, skill_proposal_list(), 50)
    skills = list(Skill.objects.order_by("label").values_list("code", "label"))
    return render(
        request,
        "skills/staff/vocabulary.html",
        {"page": page, "skills": skills, "form": form},
        status=400 if form is not None and not form.is_valid() else 200,
    )


class SkillCreateForm(forms.Form):
    proposed_text = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=80,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, e.g. water-network-design."),
    )
    sector = forms.ModelChoiceField(label=gettext_lazy("Sector"), queryset=Sector.objects.order_by("label"))
    label_en = forms.CharField(label=gettext_lazy("Label in English"), max_length=200, validators=[validate_clean_text])
    label_fr = forms.CharField(label=gettext_lazy("Label in French"), max_length=200, validators=[validate_clean_text])
    label_ar = forms.CharField(label=gettext_lazy("Label in Arabic"), max_length=200, validators=[validate_clean_text])

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Skill.objects.filter(code=code).exists():
            raise ValidationError(_("A vocabulary entry with this code already exists."))
        return code


@role_required(*CURATE_ROLES)
def vocabulary_new(request):
    """Add an entry to the vocabulary, in the three languages; from a proposal, its profiles are mapped to it."""
    proposed = (request.POST.get("proposed_text") or request.GET.get("proposed") or "").strip()[:200]
    if request.method == "POST":
        form = SkillCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    skill = skill_create(
                        code=data["code"],
                        sector=data["sector"],
                        label_en=data["label_en"],
                        label_fr=data["label_fr"],
                        label_ar=data["label_ar"],
                        actor=request.user,
                        request=request,
                    )
                    changed = 0
                    if data["proposed_text"]:
                        changed = skill_proposal_merge(
                            proposed_text=data["proposed_text"], skill=skill, actor=request.user, request=request
                        )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                message = _("“%(label)s” is in the vocabulary.") % {"label": skill.label}
                if changed:
                    message += " " + ngettext(
                        "The proposed skill now points to the vocabulary in %(count)s profile.",
                        "The proposed skill now points to the vocabulary in %(count)s profiles.",
                        changed,
                    ) % {"count": changed}
                messages.success(request, message)
                return redirect("skills:staff-vocabulary")
    else:
        form = SkillCreateForm(initial={"proposed_text": proposed, "label_en": proposed})
    return render(
        request,
        "skills/staff/vocabulary_new.html",
        {"form": form, "proposed": proposed},
        status=400 if form.is_bound and form.errors else 200,
    )
