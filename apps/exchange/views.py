from __future__ import annotations

from functools import partial
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Organisation
from apps.core.audit import audit_record
from apps.core.forms import form_errors_from_service
from apps.core.pagination import page_of
from apps.core.pdf import render_pdf
from apps.core.permissions import role_required, scoped_organisation_ids
from apps.core.roles import Role

from . import matching, selectors, services
from .forms import (
    CallAnswerForm,
    CandidateNameForm,
    CertificateCheckForm,
    EvaluationForm,
    ExchangeRequestForm,
    ExpertAddForm,
    ListFilterForm,
    ParticipantForm,
    ReportForm,
    ScheduleForm,
    TransitionForm,
)
from .models import Certificate, ExchangeRequest, ExpertSelection, Participant
from .permissions import (
    ACTION_LABELS,
    COMMENT_REQUIRED,
    CONFIRM_REQUIRED,
    COORDINATOR,
    REQUESTER,
    allowed_actions,
    can_answer,
    can_edit,
    can_evaluate,
    can_manage_experts,
    can_report,
    can_schedule,
    evaluation_deadline,
    has_report,
    has_schedule,
    is_party,
)

EXCHANGE_ROLES = (Role.FOCAL_POINT, Role.APPROVER, Role.COORDINATOR)
PAGE_SIZE = 25


def _saved_or_errors(request, form, pk: int, save, *, done):
    """Run a form's service call: on success, or a lost race (another decision came first), back to the request
    page with a message; on a ValidationError, None, with the errors on the form (what was typed is kept)."""
    try:
        save()
    except ValidationError as error:
        form_errors_from_service(form, error)
        return None
    except services.TransitionConflictError as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, done)
    return redirect("exchange:request-detail", pk=pk)


@role_required(*EXCHANGE_ROLES)
def request_list(request):
    form = ListFilterForm(request.GET or None)
    page = page_of(request, selectors.exchange_request_list(user=request.user, filters=form.filters()), PAGE_SIZE)
    pairs = selectors.country_pair_counts(user=request.user)
    return render(request, "exchange/request_list.html", {"form": form, "page": page, "pairs": pairs})


@role_required(*EXCHANGE_ROLES)
def waiting(request):
    page = page_of(request, selectors.exchange_request_waiting_for(user=request.user), PAGE_SIZE)
    return render(request, "exchange/waiting.html", {"page": page})


@role_required(*EXCHANGE_ROLES)
def calendar(request):
    scheduled = list(selectors.exchange_request_calendar(user=request.user))
    months = [
        {"month": month, "requests": list(items)}
        for month, items in groupby(scheduled, key=lambda r: r.start_date.replace(day=1))
    ]
    return render(request, "exchange/calendar.html", {"months": months})


def _institutions(user):
    return Organisation.objects.filter(pk__in=scoped_organisation_ids(user, Role.FOCAL_POINT)).order_by("name")


@role_required(Role.FOCAL_POINT)
def request_create(request):
    institutions = _institutions(request.user)
    form = ExchangeRequestForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            exchange_request = services.exchange_request_create(
                actor=request.user,
                institution=form.cleaned_data["requesting_institution"],
                fields=form.service_fields(),
                languages_sought=form.cleaned_data["languages_sought"],
                skills=form.cleaned_data["skills"],
            )
        except ValidationError as error:
            form_errors_from_service(form, error)
        else:
            messages.success(request, _("The request has been saved as a draft."))
            return redirect("exchange:request-detail", pk=exchange_request.pk)
    return render(request, "exchange/request_form.html", {"form": form})


@login_required
def request_edit(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if not can_edit(request.user, exchange_request):
        raise PermissionDenied
    form = ExchangeRequestForm(request.POST or None, request.FILES or None, instance=exchange_request)
    if request.method == "POST" and form.is_valid():
        saved = _saved_or_errors(
            request,
            form,
            pk,
            lambda: services.exchange_request_update(
                exchange_request=exchange_request,
                actor=request.user,
                fields=form.service_fields(),
                languages_sought=form.cleaned_data["languages_sought"],
                skills=form.cleaned_data["skills"],
            ),
            done=_("The request has been saved."),
        )
        if saved is not None:
            return saved
    return render(request, "exchange/request_form.html", {"form": form, "exchange_request": exchange_request})


@login_required
def request_detail(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    actions = [
        {"action": action, "label": ACTION_LABELS[action], "comment_required": action in COMMENT_REQUIRED}
        for action in allowed_actions(request.user, exchange_request)
        if action != "schedule"  # scheduling is the schedule form, linked beside
    ]
    sees_evaluations = is_party(request.user, exchange_request, REQUESTER) or is_party(
        request.user, exchange_request, COORDINATOR
    )
    context = {
        "exchange_request": exchange_request,
        "actions": actions,
        "schedule": exchange_request.schedule if has_schedule(exchange_request) else None,
        "can_schedule": can_schedule(request.user, exchange_request),
        "evaluation_deadline": evaluation_deadline(exchange_request),
        "summary": selectors.evaluation_summary(exchange_request) if sees_evaluations else None,
        "unreachable": selectors.participants_without_account(exchange_request) if sees_evaluations else [],
        "can_edit": can_edit(request.user, exchange_request),
        "can_manage_experts": can_manage_experts(request.user, exchange_request),
        "can_report": can_report(request.user, exchange_request),
        "can_evaluate": can_evaluate(request.user, exchange_request),
        "participant_form": ParticipantForm() if can_edit(request.user, exchange_request) else None,
    }
    return render(request, "exchange/request_detail.html", context)


@require_POST
@login_required
def request_transition(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request could not be understood."))
        return redirect("exchange:request-detail", pk=pk)
    action = form.cleaned_data["action"]
    if action in CONFIRM_REQUIRED and not request.POST.get("confirmed"):
        # Withdrawing and cancelling end the request for good: say what follows and ask once more.
        context = {"exchange_request": exchange_request, "action": action, "label": ACTION_LABELS.get(action, action)}
        context["comment"] = form.cleaned_data["comment"]
        return render(request, "exchange/confirm_transition.html", context)
    try:
        decision = services.exchange_request_transition(
            exchange_request=exchange_request,
            actor=request.user,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        )
    except services.TransitionConflictError as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Done: the request is now “%(state)s”.") % {"state": decision.get_to_state_display()}
        )
    return redirect("exchange:request-detail", pk=pk)


@login_required
def request_pdf(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    language = get_language()
    pdf = render_pdf("exchange/pdf/request_sheet.html", {"exchange_request": exchange_request}, language=language)
    audit_record(actor=request.user, action="exchange.print", obj=exchange_request, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="exchange-request-{exchange_request.pk}-{language}.pdf"'
    return response


@login_required
def request_file(request, pk: int, which: str):
    """The terms of reference (PDF) or the report's attachment, to those who may see the request."""
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if which == "terms-of-reference":
        stored = exchange_request.terms_of_reference_file
    elif which == "programme":
        stored = exchange_request.schedule.programme_file if has_schedule(exchange_request) else None
    else:
        stored = exchange_request.report.attachment if has_report(exchange_request) else None
    if not stored:
        raise Http404
    audit_record(actor=request.user, action="exchange.download", obj=exchange_request, request=request, summary=which)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


@login_required
def participant_add(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if not can_edit(request.user, exchange_request):
        raise PermissionDenied
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _saved_or_errors(
            request,
            form,
            pk,
            lambda: services.participant_add(
                exchange_request=exchange_request, actor=request.user, fields=form.cleaned_data
            ),
            done=_("The participant has been added."),
        )
        if saved is not None:
            return saved
    return render(request, "exchange/participant_form.html", {"form": form, "exchange_request": exchange_request})


@login_required
def participant_edit(request, pk: int, participant_pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    participant = get_object_or_404(Participant, pk=participant_pk, request=exchange_request)
    if not can_edit(request.user, exchange_request):
        raise PermissionDenied
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST":
        if "remove" in request.POST:
            services.participant_remove(participant=participant, actor=request.user)
            messages.success(request, _("The participant has been removed."))
            return redirect("exchange:request-detail", pk=pk)
        if form.is_valid():
            try:
                services.participant_update(participant=participant, actor=request.user, fields=form.cleaned_data)
            except ValidationError as error:
                form_errors_from_service(form, error)
            else:
                messages.success(request, _("The participant has been saved."))
                return redirect("exchange:request-detail", pk=pk)
    return render(
        request,
        "exchange/participant_form.html",
        {"form": form, "exchange_request": exchange_request, "participant": participant},
    )


EXPERT_ACTIONS = ("shortlist", "remove", "call", "select", "add")


def _expert_action(request, exchange_request, form) -> str | None:
    """Run the coordinator's action posted on the experts page; the success message, or None when it failed."""
    op = request.POST.get("op") or "add"
    if op == "call":
        sent = services.expert_calls_send(exchange_request=exchange_request, actor=request.user)
        return ngettext(
            "The call has been sent to %(count)d member.", "The call has been sent to %(count)d members.", sent
        ) % {"count": sent}
    if op == "add":
        if not form.is_valid():
            return None
        services.expert_selection_add(exchange_request=exchange_request, actor=request.user, **form.cleaned_data)
        return _("The expert has been added to the shortlist.")
    target = request.POST.get("target", "")
    if op not in EXPERT_ACTIONS or not target.isdigit():
        raise Http404
    if op == "shortlist":
        services.expert_selection_shortlist(
            exchange_request=exchange_request, actor=request.user, profile_id=int(target)
        )
        return _("The member has been shortlisted.")
    selection = get_object_or_404(ExpertSelection, pk=target, request=exchange_request)
    if op == "remove":
        services.expert_selection_remove(selection=selection, actor=request.user)
        return _("The member has been taken off the shortlist.")
    services.expert_selection_select(selection=selection, actor=request.user)
    return _("The expert has been selected.")


@role_required(Role.COORDINATOR)
def experts(request, pk: int):
    """The coordinator's matching page: ranked candidates with their reasons, the shortlist, calls and selection."""
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if exchange_request.kind != "expert_assignment":
        raise Http404
    adding = request.method == "POST" and (request.POST.get("op") or "add") == "add"
    form = ExpertAddForm(request.POST if adding else None)
    if request.method == "POST":
        try:
            done = _expert_action(request, exchange_request, form)
        except ValidationError as error:
            if adding:
                form_errors_from_service(form, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("exchange:request-experts", pk=pk)
        except services.TransitionConflictError as conflict:
            messages.error(request, conflict.message)
            return redirect("exchange:request-experts", pk=pk)
        else:
            if done is not None:
                messages.success(request, done)
                return redirect("exchange:request-experts", pk=pk)
    criteria = matching.criteria_for(exchange_request)
    name_form = CandidateNameForm(request.GET)
    name = name_form.cleaned_data["name"] if name_form.is_valid() else ""
    ranked = matching.candidate_queryset(exchange_request, criteria, name=name)
    page = page_of(request, ranked, PAGE_SIZE)
    candidates = matching.candidates_page(page.object_list, request=exchange_request, criteria=criteria, name=name)
    return render(
        request,
        "exchange/experts.html",
        {
            "exchange_request": exchange_request,
            "form": form,
            "page": page,
            "candidates": candidates,
            "criteria": criteria,
            "name_form": name_form,
            "name": name,
            "can_manage_experts": can_manage_experts(request.user, exchange_request),
            "has_shortlisted": any(
                s.status == ExpertSelection.Status.SHORTLISTED for s in exchange_request.expert_selections.all()
            ),
        },
    )


@role_required(Role.MEMBER)
def my_calls(request):
    """The calls for experts the member was invited to, with their answer buttons."""
    calls = [
        {"selection": selection, "can_answer": can_answer(request.user, selection)}
        for selection in selectors.expert_calls_for(user=request.user)
    ]
    return render(request, "exchange/my_calls.html", {"calls": calls, "form": CallAnswerForm()})


@require_POST
@role_required(Role.MEMBER)
def call_answer(request, selection_pk: int):
    selection = get_object_or_404(ExpertSelection.objects.select_related("request"), pk=selection_pk)
    if selection.expert_id != request.user.pk:
        raise Http404
    form = CallAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request could not be understood."))
        return redirect("exchange:my-calls")
    interested = form.cleaned_data["answer"] == "interested"
    try:
        services.expert_selection_answer(selection=selection, actor=request.user, interested=interested)
    except services.TransitionConflictError as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(
            request,
            _("Thank you: the coordinator sees that you are interested.")
            if interested
            else _("Thank you: your answer has been recorded."),
        )
    return redirect("exchange:my-calls")


@role_required(Role.MEMBER)
def open_calls(request):
    """Expert assignments still looking for experts that fit the member's profile, best first."""
    context = {
        "calls": matching.open_calls_for(user=request.user),
        "has_profile": matching.member_profile(request.user) is not None,
    }
    return render(request, "exchange/open_calls.html", context)


@require_POST
@role_required(Role.MEMBER)
def open_call_interest(request, pk: int):
    exchange_request = get_object_or_404(ExchangeRequest, pk=pk)
    try:
        services.expert_selection_offer(exchange_request=exchange_request, actor=request.user)
    except services.TransitionConflictError as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: the coordinator sees that you are interested."))
        return redirect("exchange:my-calls")
    return redirect("exchange:open-calls")


@login_required
def report(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if not can_report(request.user, exchange_request):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        submit = partial(
            services.report_submit, exchange_request=exchange_request, actor=request.user, fields=form.cleaned_data
        )
        if done := _saved_or_errors(request, form, pk, submit, done=_("Thank you: the report has been sent.")):
            return done
    return render(request, "exchange/report_form.html", {"form": form, "exchange_request": exchange_request})


@login_required
def evaluate(request, pk: int):
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if not can_evaluate(request.user, exchange_request):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = partial(
            services.evaluation_submit, exchange_request=exchange_request, actor=request.user, fields=form.cleaned_data
        )
        if done := _saved_or_errors(request, form, pk, submit, done=_("Thank you: your evaluation has been sent.")):
            return done
    return render(request, "exchange/evaluation_form.html", {"form": form, "exchange_request": exchange_request})


@login_required
def schedule(request, pk: int):
    """The coordinator records the schedule (approved → scheduled) or changes it (a decision in the log)."""
    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)
    if not can_schedule(request.user, exchange_request):
        raise PermissionDenied
    instance = exchange_request.schedule if has_schedule(exchange_request) else None
    form = ScheduleForm(
        request.POST or None, request.FILES or None, instance=instance, exchange_request=exchange_request
    )
    if request.method == "POST" and form.is_valid():
        saved = _saved_or_errors(
            request,
            form,
            pk,
            lambda: services.schedule_save(
                exchange_request=exchange_request,
                actor=request.user,
                fields=form.service_fields(),
                items=form.programme_items,
                comment=form.cleaned_data.get("comment", ""),
            ),
            done=_("The schedule has been saved and sent to the participants and experts."),
        )
        if saved is not None:
            return saved
    return render(request, "exchange/schedule_form.html", {"form": form, "exchange_request": exchange_request})


@login_required
def my_exchanges(request):
    """Every exchange the user takes part in, whatever their role: dates, programme, evaluation, certificate."""
    rows = selectors.my_exchanges(user=request.user)
    return render(request, "exchange/my_exchanges.html", {"rows": rows})


def _may_download_certificate(user, certificate: Certificate) -> bool:
    if user.email and certificate.holder_email == user.email.lower():
        return True
    exchange_request = certificate.request
    return is_party(user, exchange_request, REQUESTER) or is_party(user, exchange_request, COORDINATOR)


@login_required
def certificate_pdf(request, code: str):
    """A certificate as a PDF, in its holder's language, to its holder (and the requester and coordinators)."""
    certificate = selectors.certificate_verify(code=code)
    if certificate is None or not _may_download_certificate(request.user, certificate):
        raise Http404
    pdf = render_pdf(
        "exchange/pdf/certificate.html",
        {
            "certificate": certificate,
            "exchange_request": certificate.request,
            "verify_url": _verify_url(request, certificate.code),
        },
        language=certificate.language,
    )
    audit_record(actor=request.user, action="exchange.certificate_download", obj=certificate.request, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


@require_POST
@login_required
def certificates_batch(request, pk: int):
    """Print every certificate of the request in the background, as one ZIP (requester and coordinators)."""
    from apps.core.pdf_batches import pdf_batch_request

    exchange_request = selectors.exchange_request_detail(user=request.user, pk=pk)  # 404 unless visible
    batch = pdf_batch_request(
        user=request.user, kind="exchange.certificates", params={"request": exchange_request.pk}, request=request
    )
    return redirect("core:pdf-batch", pk=batch.pk)


def _verify_url(request, code: str) -> str:
    """The public check of ``code``, isolated left-to-right so an Arabic sentence does not reorder it."""
    from django.urls import reverse

    url = request.build_absolute_uri(reverse("exchange:certificate-verify")) + f"?code={code}"
    return f"\u2066{url}\u2069"


def certificate_verify(request):
    """Public: anyone holding a certificate's code checks that the portal issued it, and to whom for what."""
    form = CertificateCheckForm(request.GET or None)
    certificate = None
    if form.is_valid():
        certificate = selectors.certificate_verify(code=form.cleaned_data["code"])
    return render(
        request,
        "exchange/certificate_verify.html",
        {"form": form, "certificate": certificate, "checked": form.is_bound and form.is_valid()},
    )
