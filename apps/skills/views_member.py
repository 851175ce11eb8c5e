"""The member's pages: the registration wizard, my profile, my data (consents, export, erasure), the CV."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core.forms import form_errors_from_service
from apps.core.permissions import role_required
from apps.core.roles import Role

from . import forms as f
from .models import CONSENT_FIELDS, ConsentPurpose, ConsentRecord, DiasporaProfile
from .selectors import (
    consent_overview,
    profile_completeness,
    profile_cv_for,
    profile_for_member,
    profile_is_stale,
    profile_needs_confirmation,
)
from .services import profiles as svc

member_required = role_required(Role.MEMBER)


# Formsets: every row is optional (a blank row is ignored); the whole list replaces the stored one.


class RowFormSet(BaseFormSet):
    def initial_form_count(self):
        # Bound: treat every row as new, so a row the member emptied is dropped instead of refused.
        return 0 if self.is_bound else super().initial_form_count()

    def rows(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


def _formset(form_class):
    return formset_factory(
        form_class, formset=RowFormSet, extra=1, can_delete=True, max_num=f.MAX_ROWS, validate_max=True
    )


LanguageFormSet = _formset(f.LanguageRowForm)
EducationFormSet = _formset(f.EducationRowForm)
SkillFormSet = _formset(f.SkillRowForm)
RegistrationFormSet = _formset(f.RegistrationRowForm)
AssociationFormSet = _formset(f.AssociationRowForm)


# The wizard's steps -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    build: Callable  # (profile, data, files) -> form or formset
    save: Callable  # (profile, form, request) -> None
    formset: bool = False


def _scalar_initial(profile, fields):
    return model_to_dict(profile, fields=fields) if profile else {}


def _build_identity(profile, data, files):
    return f.IdentityForm(data, initial=_scalar_initial(profile, f.IdentityForm._meta.fields))


def signup_name_initial(full_name: str) -> dict:
    """Step 1's name fields from the full name typed at sign-up: the last word is taken as the family name,
    in the Arabic-script fields when the name is written in Arabic script. The member corrects it if needed."""
    parts = (full_name or "").split()
    if not parts:
        return {}
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in full_name)
    first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (parts[0], "")
    suffix = "_ar" if arabic else ""
    return {f"first_name{suffix}": first, f"last_name{suffix}": last}


def _build_origin(profile, data, files):
    return f.OriginForm(data, initial=_scalar_initial(profile, f.OriginForm._meta.fields))


def _build_availability(profile, data, files):
    return f.AvailabilityForm(data, initial=_scalar_initial(profile, f.AvailabilityForm._meta.fields))


def _save_scalar(profile, form, request):
    fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in svc.MEMBER_FIELDS}
    svc.profile_update(profile=profile, fields=fields, actor=request.user, request=request)


def _build_phone(profile, data, files):
    return f.PhoneForm(data, initial={"phone": profile.phone}, region=profile.residence_country_id)


def _rows_initial(rows, names):
    return [{name: getattr(row, name) for name in names} for row in rows]


def _build_languages(profile, data, files):
    initial = None if data else _rows_initial(profile.languages.all(), ("language", "level"))
    return LanguageFormSet(data, initial=initial, prefix="languages")


def _build_education(profile, data, files):
    names = ("level", "field", "institution", "country", "year")
    initial = None if data else _rows_initial(profile.education.all(), names)
    return EducationFormSet(data, initial=initial, prefix="education")


def _build_skills(profile, data, files):
    initial = None if data else _rows_initial(profile.skills.all(), ("skill", "proposed_text", "kind"))
    return SkillFormSet(data, initial=initial, prefix="skills", form_kwargs={"choices": f.skill_choices()})


def _build_registrations(profile, data, files):
    initial = None if data else _rows_initial(profile.registrations.all(), ("body", "number", "country"))
    return RegistrationFormSet(data, initial=initial, prefix="registrations")


def _build_associations(profile, data, files):
    initial = None if data else _rows_initial(profile.associations.all(), ("organisation", "name"))
    return AssociationFormSet(data, initial=initial, prefix="associations")


def _save_rows(kind):
    def save(profile, formset, request):
        svc.profile_replace_rows(profile=profile, kind=kind, rows=formset.rows(), actor=request.user, request=request)

    return save


def _build_work(profile, data, files, search="", selected=None):
    initial = {
        "occupations": [o.code for o in profile.occupations.all()],
        "job_title": profile.job_title,
        "employer": profile.employer,
        "years_experience": profile.years_experience,
    }
    return f.WorkForm(data, initial=initial, search=search, selected=selected or initial["occupations"])


def _save_work(profile, form, request):
    svc.profile_set_occupations(profile=profile, occupations=form.cleaned_data["occupations"], actor=request.user)
    _save_scalar(profile, form, request)


def _build_sectors(profile, data, files):
    return f.SectorsForm(data, initial={"sectors": [s.code for s in profile.sectors.all()]})


def _save_sectors(profile, form, request):
    svc.profile_set_sectors(profile=profile, sectors=form.cleaned_data["sectors"], actor=request.user, request=request)


def _build_interests(profile, data, files):
    return f.InterestsForm(data, initial={"engagement_interests": list(profile.engagement_interests)})


def _build_cv(profile, data, files):
    return f.CVForm(data, files)


def _save_cv(profile, form, request):
    if form.cleaned_data.get("cv"):
        svc.profile_set_cv(profile=profile, upload=form.cleaned_data["cv"], actor=request.user, request=request)
    elif form.cleaned_data.get("remove"):
        svc.profile_remove_cv(profile=profile, actor=request.user, request=request)


def _build_consents(profile, data, files):
    return f.ConsentsForm(data, profile=profile)


def _save_consents(profile, form, request):
    svc.profile_consents_set(
        profile=profile,
        choices={purpose.value: form.cleaned_data[purpose.value] for purpose in ConsentPurpose},
        method=ConsentRecord.Method.WIZARD,
        actor=request.user,
        request=request,
    )


STEPS = [
    Step(
        "identity",
        gettext_lazy("Identity"),
        gettext_lazy("Your name as in your documents. Date of birth and gender are optional."),
        _build_identity,
        _save_scalar,
    ),
    Step(
        "origin",
        gettext_lazy("Origin and residence"),
        gettext_lazy("Where you come from and where you live now."),
        _build_origin,
        _save_scalar,
    ),
    Step(
        "phone", gettext_lazy("Phone"), gettext_lazy("A number where you can be reached."), _build_phone, _save_scalar
    ),
    Step(
        "languages",
        gettext_lazy("Languages"),
        gettext_lazy("The languages you speak, and how well."),
        _build_languages,
        _save_rows("languages"),
        formset=True,
    ),
    Step(
        "education",
        gettext_lazy("Education"),
        gettext_lazy("Your diplomas and where you obtained them."),
        _build_education,
        _save_rows("education"),
        formset=True,
    ),
    Step(
        "work",
        gettext_lazy("Occupation and work"),
        gettext_lazy("What you do, for whom, and for how long."),
        _build_work,
        _save_work,
    ),
    Step(
        "sectors",
        gettext_lazy("Sectors"),
        gettext_lazy("The sectors you work in or know well."),
        _build_sectors,
        _save_sectors,
    ),
    Step(
        "skills",
        gettext_lazy("Skills"),
        gettext_lazy(
            "Choose skills from the list, or describe one that is missing. Say for each how you acquired it: "
            "formal (diploma), non-formal (training) or informal (experience)."
        ),
        _build_skills,
        _save_rows("skills"),
        formset=True,
    ),
    Step(
        "registrations",
        gettext_lazy("Professional registrations"),
        gettext_lazy("Professional bodies you are registered with (for example a medical council)."),
        _build_registrations,
        _save_rows("registrations"),
        formset=True,
    ),
    Step(
        "associations",
        gettext_lazy("Diaspora associations"),
        gettext_lazy("Associations of the diaspora you belong to."),
        _build_associations,
        _save_rows("associations"),
        formset=True,
    ),
    Step(
        "interests",
        gettext_lazy("Engagement"),
        gettext_lazy("How you would like to contribute to your country of origin."),
        _build_interests,
        _save_scalar,
    ),
    Step(
        "availability",
        gettext_lazy("Availability"),
        gettext_lazy("When and how you could take part."),
        _build_availability,
        _save_scalar,
    ),
    Step(
        "cv",
        gettext_lazy("CV"),
        gettext_lazy("A CV in PDF, at most 5 MB. Only you and authorised staff can open it."),
        _build_cv,
        _save_cv,
    ),
    Step(
        "consents",
        gettext_lazy("Consents"),
        gettext_lazy(
            "Choose what you agree to. Nothing is ticked for you, and you can withdraw any consent at any time "
            "on the “My data” page."
        ),
        _build_consents,
        _save_consents,
    ),
]
STEP_SLUGS = [step.slug for step in STEPS]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def _next_slug(slug: str) -> str | None:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[index + 1] if index + 1 < len(STEPS) else None


@never_cache
@member_required
def wizard_resume(request):
    """Continue where the member left off: the step after the last one completed."""
    profile = DiasporaProfile.objects.filter(user=request.user, erased_at__isnull=True).only("wizard_step").first()
    if profile is None or profile.wizard_step not in STEP_SLUGS:
        slug = "identity"
    else:
        slug = _next_slug(profile.wizard_step) or STEP_SLUGS[-1]
    return redirect("skills:wizard-step", step=slug)


@never_cache
@member_required
def wizard_step(request, step: str):
    current = STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404
    profile = profile_for_member(user=request.user)
    if profile is None and step != "identity":
        messages.info(request, _("Start with your name: the other steps are saved to your profile."))
        return redirect("skills:wizard-step", step="identity")

    action = request.POST.get("action", "next") if request.method == "POST" else None
    if action == "search" and step == "work":
        # Narrow the occupation list, keeping everything typed (nothing is saved, no errors shown).
        search = request.POST.get("occupation_search", "")
        form = _build_work(profile, None, None, search=search, selected=request.POST.getlist("occupations"))
        form = _rebind_initial(form, request.POST)
        return _render_step(request, current, profile, form, partial=bool(request.headers.get("HX-Request")))
    if action == "add_row" and current.formset:
        data = request.POST.copy()
        prefix = current.build(profile, None, None).prefix
        total = int(data.get(f"{prefix}-TOTAL_FORMS", "0") or 0)
        data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, f.MAX_ROWS))
        form = current.build(profile, data, request.FILES)
        return _render_step(request, current, profile, form)

    if request.method == "POST":
        form = current.build(profile, request.POST, request.FILES)
        if form.is_valid():
            try:
                if profile is None:
                    fields = {k: v for k, v in form.cleaned_data.items() if k in svc.MEMBER_FIELDS}
                    profile = svc.profile_create(user=request.user, fields=fields, request=request)
                else:
                    current.save(profile, form, request)
            except ValidationError as exc:
                form_errors_from_service(form, exc)
            else:
                svc.profile_wizard_mark(profile=profile, step=step, steps=STEP_SLUGS)
                if action == "exit":
                    messages.success(request, _("Saved. You can come back and continue at any time."))
                    return redirect("skills:profile")
                following = _next_slug(step)
                if following is None:
                    messages.success(request, _("Your skills profile is saved. Thank you!"))
                    return redirect("skills:profile")
                return redirect("skills:wizard-step", step=following)
    elif profile is None:
        form = f.IdentityForm(initial=signup_name_initial(request.user.full_name))
    else:
        form = current.build(profile, None, None)
    return _render_step(request, current, profile, form)


def _rebind_initial(form, data):
    """An unbound copy of ``form`` whose initial values are what was posted (no validation messages)."""
    for name, field in form.fields.items():
        value = field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        if value not in (None, ""):
            form.initial[name] = value
    return form


def _render_step(request, current, profile, form, partial=False):
    index = STEP_SLUGS.index(current.slug)
    done_index = STEP_SLUGS.index(profile.wizard_step) if profile and profile.wizard_step in STEP_SLUGS else -1
    context = {
        "step": current,
        "steps": STEPS,
        "index": index,
        "number": index + 1,
        "total": len(STEPS),
        "done_index": done_index,
        "previous": STEP_SLUGS[index - 1] if index > 0 else None,
        "is_last": index == len(STEPS) - 1,
        "form": form,
        "profile": profile,
        "cv_max_mb": f.CV_MAX_MB,
    }
    template = "skills/member/_occupations_field.html" if partial else "skills/member/wizard_step.html"
    return render(request, template, context)


# My profile -------------------------------------------------------------------------------------------------


@never_cache
@member_required
def profile_page(request):
    profile = profile_for_member(user=request.user)
    if profile is None:
        return redirect("skills:wizard")
    completeness = profile_completeness(profile)
    context = {
        "profile": profile,
        "completeness": completeness,
        "is_stale": profile_is_stale(profile),
        "needs_confirmation": profile_needs_confirmation(profile),
        "wizard_done": profile.wizard_step == STEP_SLUGS[-1],
        "steps": STEPS,
        "steps_by_slug": STEPS_BY_SLUG,
        "missing": [(STEPS_BY_SLUG[slug], label) for slug, label in completeness.missing],
    }
    return render(request, "skills/member/profile.html", context)


@require_POST
@member_required
def profile_confirm(request):
    profile = profile_for_member(user=request.user)
    if profile is None:
        raise Http404
    svc.profile_confirm(profile=profile, actor=request.user, request=request)
    messages.success(request, _("Thank you: your profile is marked as up to date."))
    return redirect("skills:profile")


@never_cache
def confirm_link(request, token: str):
    """The one-click "still correct" link from the reminder e-mail. Signed and time-limited; no sign-in needed."""
    profile = svc.confirmation_token_profile(token)
    if profile is None:
        return render(request, "skills/member/confirm_link.html", {"ok": False}, status=400)
    svc.profile_confirm(profile=profile, actor=profile.user, request=request)
    return render(request, "skills/member/confirm_link.html", {"ok": True, "profile": profile})


@never_cache
@member_required
def cv_download(request, profile_id: int):
    """The CV, to its owner only, always as a download (never rendered inline by the browser)."""
    return cv_file_response(profile_cv_for(user=request.user, profile_id=profile_id))


def cv_file_response(profile) -> FileResponse:
    """A profile's CV as a PDF download that browsers and shared caches keep nowhere."""
    if not profile.cv:
        raise Http404
    try:
        handle = profile.cv.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename="cv.pdf", content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# My data ----------------------------------------------------------------------------------------------------


@never_cache
@member_required
def my_data(request):
    profile = profile_for_member(user=request.user)
    context = {
        "profile": profile,
        "consents": consent_overview(profile=profile) if profile else [],
        "not_yet_included": [
            label for name, label in svc.EXPECTED_EXPORT_SECTIONS.items() if name not in svc.DATA_EXPORT_SECTIONS
        ],
    }
    return render(request, "skills/member/my_data.html", context)


@require_POST
@member_required
def consent_change(request, purpose: str, change: str):
    if purpose not in ConsentPurpose.values or change not in ("give", "withdraw"):
        raise Http404
    profile = profile_for_member(user=request.user)
    if profile is None:
        raise Http404
    given = change == "give"
    if getattr(profile, CONSENT_FIELDS[ConsentPurpose(purpose)]) != given:
        svc.profile_consents_set(
            profile=profile,
            choices={purpose: given},
            method=ConsentRecord.Method.MY_DATA,
            actor=request.user,
            request=request,
        )
    label = ConsentPurpose(purpose).label
    if given:
        messages.success(request, _("Consent given: %(purpose)s.") % {"purpose": label})
    else:
        messages.success(request, _("Consent withdrawn: %(purpose)s.") % {"purpose": label})
    return redirect("skills:my-data")


@never_cache
@member_required
def data_export(request):
    data = svc.member_data_export(user=request.user, request=request)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@member_required
def erase(request):
    if request.method == "POST":
        form = f.EraseForm(request.POST, user=request.user)
        if form.is_valid():
            user = request.user
            svc.member_erase(user=user, request=request)
            logout(request)
            messages.success(request, _("Your account and your personal data have been erased."))
            return redirect(reverse("core:home"))
    else:
        form = f.EraseForm(user=request.user)
    return render(request, "skills/member/erase.html", {"form": form})
