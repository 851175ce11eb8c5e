from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core.audit import audit_record
from apps.core.forms import form_errors_from_service
from apps.core.permissions import role_required
from apps.core.ratelimit import ratelimit

from . import services
from .forms import LANGUAGE_NAMES, CampaignForm, MessageForm, RecipientLookupForm, ScheduleForm, SegmentForm
from .models import Campaign, CampaignMessage, Channel, Segment
from .permissions import MANAGER_ROLES
from .rendering import PLACEHOLDERS, SAMPLE_VALUES, placeholders_fill, sms_length, sms_opt_out_text
from .selectors import (
    campaign_list,
    campaign_recipients_named,
    campaign_stats,
    recipient_languages,
    segment_list,
    segment_preview,
    segment_summary,
    sms_cost_estimate,
)

manager_required = role_required(*MANAGER_ROLES)


@manager_required
def campaign_index(request):
    campaigns = list(campaign_list()[:200])
    return render(request, "outreach/campaign_list.html", {"campaigns": campaigns})


@manager_required
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            return redirect("outreach:campaign-detail", pk=campaign.pk)
    return render(request, "outreach/campaign_form.html", {"form": form})


def _previews(campaign: Campaign) -> list[dict]:
    by_language = {m.language: m for m in campaign.messages.all()}
    previews = []
    for code, name in settings.LANGUAGES:
        message = by_language.get(code)
        item = {"code": code, "name": name, "message": message, "rtl": code == "ar"}
        if message is not None:
            item["subject"] = placeholders_fill(message.subject, SAMPLE_VALUES)
            item["body"] = placeholders_fill(message.body, SAMPLE_VALUES)
            if campaign.channel == Channel.SMS:
                from django.utils import translation

                with translation.override(code):
                    item["sms"] = sms_length(f"{item['body']}\n{sms_opt_out_text()}")
        previews.append(item)
    return previews


@manager_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "created_by"), pk=pk)
    context = {
        "campaign": campaign,
        "previews": _previews(campaign),
        "stats": campaign_stats(campaign=campaign),
        "schedule_form": ScheduleForm(),
    }
    if campaign.state == Campaign.State.DRAFT:
        needed = recipient_languages(campaign=campaign)
        context["needed"] = sorted(needed.items())
        context["recipient_total"] = sum(needed.values())
        missing = services.campaign_missing_languages(campaign=campaign, needed=needed)
        context["missing"] = [(LANGUAGE_NAMES.get(code, code), n) for code, n in sorted(missing.items())]
    return render(request, "outreach/campaign_detail.html", context)


@manager_required
def campaign_recipients(request, pk: int):
    """Look up a campaign's recipient by name (either script, any spelling): what was sent to them and how."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = RecipientLookupForm(request.GET)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    recipients, more = campaign_recipients_named(campaign=campaign, query=name) if name else ([], False)
    if name:  # a read of personal records: one audit event with the name looked up and how many were shown
        audit_record(
            actor=request.user,
            action="outreach.recipients.lookup",
            obj=campaign,
            summary=f"{len(recipients)}{'+' if more else ''}",
            request=request,
            extra={"filters": {"name": name}, "count": len(recipients), "more": more},
        )
    context = {"campaign": campaign, "form": form, "name": name, "recipients": recipients, "more": more}
    return render(request, "outreach/campaign_recipients.html", context)


@manager_required
def campaign_progress(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(
        request, "outreach/_progress.html", {"campaign": campaign, "stats": campaign_stats(campaign=campaign)}
    )


@manager_required
def campaign_message_edit(request, pk: int, language: str):
    campaign = get_object_or_404(Campaign, pk=pk)
    if language not in LANGUAGE_NAMES:
        raise Http404
    message = CampaignMessage.objects.filter(campaign=campaign, language=language).first()
    initial = {"subject": message.subject, "body": message.body} if message else {}
    form = MessageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_message_set(actor=request.user, campaign=campaign, language=language, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from_service(form, exc)
        else:
            messages.success(request, _("The message was saved."))
            return redirect("outreach:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "outreach/message_form.html",
        {
            "campaign": campaign,
            "form": form,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "placeholders": ["{" + name + "}" for name in PLACEHOLDERS],
            "rtl": language == "ar",
        },
    )


def _schedule_confirm(request, campaign: Campaign, form: ScheduleForm, send_at):
    """Before a campaign is scheduled: how many people it reaches in each language, and in which language those
    without a message of their own get it."""
    needed = services.campaign_schedule_check(campaign=campaign, send_at=send_at)
    written = set(campaign.messages.values_list("language", flat=True))
    languages = [
        {
            "name": LANGUAGE_NAMES.get(code, code),
            "count": n,
            "message_language": LANGUAGE_NAMES.get(code if code in written else campaign.default_language),
            "own": code in written,
        }
        for code, n in sorted(needed.items(), key=lambda item: -item[1])
    ]
    if campaign.channel == Channel.SMS:
        estimate = sms_cost_estimate(campaign=campaign, needed=needed)
        by_language = {row["language"]: row for row in estimate["rows"]}
        for code, row in zip(sorted(needed, key=lambda c: -needed[c]), languages, strict=True):
            row["sms"] = by_language.get(code)
    else:
        estimate = None
    context = {
        "campaign": campaign,
        "estimate": estimate,
        "languages": languages,
        "total": sum(needed.values()),
        "when": form.cleaned_data["when"],
        "send_at": send_at,
        "send_at_value": request.POST.get("send_at", ""),
    }
    return render(request, "outreach/campaign_confirm_schedule.html", context)


def _cancel_confirm(request, campaign: Campaign):
    """Before a campaign is cancelled: what has already gone, and what will not."""
    return render(
        request,
        "outreach/campaign_confirm_cancel.html",
        {"campaign": campaign, "stats": campaign_stats(campaign=campaign)},
    )


@require_POST
@manager_required
def campaign_action(request, pk: int, action: str):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        if action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            send_at = form.cleaned_data["send_at"] if form.cleaned_data["when"] == "later" else None
            if not form.cleaned_data["confirmed"]:
                return _schedule_confirm(request, campaign, form, send_at)
            services.campaign_schedule(actor=request.user, campaign=campaign, send_at=send_at)
            messages.success(request, _("The campaign is scheduled."))
        elif action == "pause":
            services.campaign_pause(actor=request.user, campaign=campaign)
            messages.success(request, _("The campaign is paused."))
        elif action == "resume":
            services.campaign_resume(actor=request.user, campaign=campaign)
            messages.success(request, _("The campaign is sending again."))
        elif action == "cancel":
            if request.POST.get("confirmed") != "1":
                return _cancel_confirm(request, campaign)
            services.campaign_cancel(actor=request.user, campaign=campaign)
            messages.success(request, _("The campaign is cancelled."))
        elif action == "resume-now":
            services.campaign_resume_now(actor=request.user, campaign=campaign)
            messages.success(request, _("The messages left by the stopped worker are queued again."))
        elif action == "send-default-language":
            services.campaign_missing_language_decide(actor=request.user, campaign=campaign, send_default=True)
            messages.success(request, _("Recipients without a message in their language will get the default one."))
        else:
            raise Http404
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect("outreach:campaign-detail", pk=campaign.pk)


@manager_required
def segment_index(request):
    return render(request, "outreach/segment_list.html", {"segments": list(segment_list()[:200])})


@manager_required
def segment_edit(request, pk: int | None = None):
    segment = get_object_or_404(Segment, pk=pk) if pk else None
    form = SegmentForm(request.POST or None, segment=segment)
    preview = None
    if request.method == "POST" and form.is_valid():
        filters = form.to_filters()
        if "preview" in request.POST:
            preview = segment_preview(filters=filters)
        else:
            try:
                if segment is None:
                    segment = services.segment_create(
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        filters=filters,
                    )
                else:
                    services.segment_update(
                        actor=request.user,
                        segment=segment,
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        filters=filters,
                    )
            except ValidationError as exc:
                form_errors_from_service(form, exc)
            else:
                messages.success(request, _("The segment was saved."))
                return redirect("outreach:segment-detail", pk=segment.pk)
    return render(request, "outreach/segment_form.html", {"form": form, "segment": segment, "preview": preview})


@manager_required
def segment_detail(request, pk: int):
    segment = get_object_or_404(Segment, pk=pk)
    previews = {channel.label: segment_preview(filters=segment.filters, channel=channel) for channel in Channel}
    summary = segment_summary(segment.filters)
    return render(
        request, "outreach/segment_detail.html", {"segment": segment, "previews": previews, "summary": summary}
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session or CSRF token
@ratelimit(scope="unsubscribe", limit=30, period=60)
def unsubscribe(request, token: str):
    try:
        profile, purpose = services.unsubscribe_token_check(token)
    except services.UnsubscribeError as exc:
        return render(request, "outreach/unsubscribe_invalid.html", {"code": exc.code}, status=400)
    if request.method == "POST":
        services.unsubscribe_confirm(token=token, request=request)
        return render(request, "outreach/unsubscribe_done.html", {"purpose": purpose})
    return render(request, "outreach/unsubscribe_confirm.html", {"token": token, "purpose": purpose})
