"""Campaigns: messages per language, the checks before scheduling, scheduling and the states after."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.audit import audit_record
from apps.core.formatting import format_list, format_number
from apps.core.languages import language_name
from apps.core.validators import validate_clean_text

from ..marks import NOT_MARKED, marks_fold
from ..models import Campaign, CampaignMessage, Channel, Delivery, Segment
from ..rendering import (
    SMS_MAX_SEGMENTS,
    placeholders_check,
    sms_length,
    sms_opt_out_text,
)
from ..selectors import recipient_languages
from ._common import LANGUAGE_CODES, _require_manager
from .deliveries import deliveries_enqueue


def _message_errors(*, campaign: Campaign, language: str, subject: str, body: str) -> dict:
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            placeholders_check(text)
            if text:
                validate_clean_text(text)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    if not body.strip():
        errors.setdefault("body", []).append(_("Write the message."))
    if campaign.channel == Channel.EMAIL and not subject.strip():
        errors.setdefault("subject", []).append(_("An e-mail needs a subject."))
    if campaign.channel == Channel.SMS:
        with translation.override(language):
            length = sms_length(f"{body}\n{sms_opt_out_text()}")
        if length["segments"] > SMS_MAX_SEGMENTS:
            errors.setdefault("body", []).append(
                _("This SMS takes %(segments)s segments; at most %(max)s are allowed.")
                % {"segments": length["segments"], "max": SMS_MAX_SEGMENTS}
            )
    return errors


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    kind: str,
    channel: str,
    segment: Segment,
    sender_name: str,
    default_language: str = settings.LANGUAGE_CODE,
    messages: list[dict] | None = None,
) -> Campaign:
    _require_manager(actor)
    campaign = Campaign(
        name=name,
        kind=kind,
        channel=channel,
        segment=segment,
        sender_name=sender_name,
        default_language=default_language,
        created_by=actor,
    )
    campaign.full_clean()
    validate_clean_text(name)
    campaign.save()
    for message in messages or []:
        campaign_message_set(
            actor=actor,
            campaign=campaign,
            language=message.get("language", ""),
            subject=message.get("subject", ""),
            body=message.get("body", ""),
        )
    audit_record(actor=actor, action="outreach.campaign.create", obj=campaign, summary=name)
    return campaign


def _require_draft(campaign: Campaign) -> None:
    if campaign.state != Campaign.State.DRAFT:
        raise ValidationError(_("Only a draft campaign can be changed."))


@transaction.atomic
def campaign_message_set(*, actor, campaign: Campaign, language: str, subject: str, body: str) -> CampaignMessage:
    _require_manager(actor)
    _require_draft(campaign)
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Unknown language.")})
    errors = _message_errors(campaign=campaign, language=language, subject=subject, body=body)
    if errors:
        raise ValidationError(errors)
    message, _created = CampaignMessage.objects.update_or_create(
        campaign=campaign, language=language, defaults={"subject": subject, "body": body}
    )
    audit_record(actor=actor, action="outreach.campaign.message", obj=campaign, summary=language)
    return message


@transaction.atomic
def campaign_missing_language_decide(*, actor, campaign: Campaign, send_default: bool) -> Campaign:
    """The author's choice for recipients whose language has no message: send them the default language."""
    _require_manager(actor)
    _require_draft(campaign)
    campaign.missing_language_fallback = send_default
    campaign.missing_language_decided_by = actor if send_default else None
    campaign.missing_language_decided_at = timezone.now() if send_default else None
    campaign.save(
        update_fields=[
            "missing_language_fallback",
            "missing_language_decided_by",
            "missing_language_decided_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="outreach.campaign.missing_language",
        obj=campaign,
        summary=f"send default language {campaign.default_language}" if send_default else "complete the messages",
    )
    return campaign


def campaign_missing_languages(*, campaign: Campaign, needed: dict[str, int] | None = None) -> dict[str, int]:
    """Languages some recipients read for which the campaign has no message, with how many recipients."""
    needed = recipient_languages(campaign=campaign) if needed is None else needed
    have = set(campaign.messages.values_list("language", flat=True))
    return {language: n for language, n in needed.items() if language not in have}


def campaign_check_ready(*, campaign: Campaign) -> dict[str, int]:
    """ValidationError with every reason the campaign cannot be scheduled; the recipients per language if it can."""
    errors: list[str] = []
    messages = {m.language: m for m in campaign.messages.all()}
    if campaign.default_language not in messages:
        errors.append(_("Write the message in the default language first."))
    for language, message in messages.items():
        problems = _message_errors(campaign=campaign, language=language, subject=message.subject, body=message.body)
        for problem_list in problems.values():
            errors.extend(
                _("%(language)s: %(problem)s") % {"language": language_name(language), "problem": problem}
                for problem in problem_list
            )
    needed = recipient_languages(campaign=campaign)
    if not needed:
        errors.append(_("The segment reaches nobody who agreed to receive this channel. Nothing would be sent."))
    missing = campaign_missing_languages(campaign=campaign, needed=needed)
    if missing and not campaign.missing_language_fallback:
        errors.append(
            _(
                "Some recipients read a language that has no message (%(languages)s). Write those messages, or "
                "choose to send them the default language."
            )
            % {"languages": _recipients_by_language(missing)}
        )
    if errors:
        raise ValidationError(errors)
    return needed


def _recipients_by_language(counts: dict[str, int]) -> str:
    """ "arabe : 2 destinataires et anglais : 1 destinataire": languages named, in the language's list form."""
    return format_list(
        ngettext("%(language)s: %(count)s recipient", "%(language)s: %(count)s recipients", n)
        % {"language": language_name(code, in_sentence=True), "count": format_number(n)}
        for code, n in sorted(counts.items())
    )


def campaign_schedule_check(*, campaign: Campaign, send_at=None) -> dict[str, int]:
    """ValidationError with every reason the campaign cannot be scheduled at ``send_at`` (None: now); the
    recipients per language if it can (what the confirmation states before anything is scheduled)."""
    _require_draft(campaign)
    if send_at is not None and send_at < timezone.now():
        raise ValidationError({"send_at": _("This time is in the past. Choose a time to come, or send now.")})
    return campaign_check_ready(campaign=campaign)


@transaction.atomic
def campaign_schedule(*, actor, campaign: Campaign, send_at=None) -> Campaign:
    """Schedule the campaign now (``send_at`` None) or at a time in the future. It starts after commit."""
    _require_manager(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign_schedule_check(campaign=campaign, send_at=send_at)
    now = timezone.now()
    campaign.state = Campaign.State.SCHEDULED
    campaign.scheduled_at = send_at or now
    campaign.save(update_fields=["state", "scheduled_at", "updated_at"])
    audit_record(actor=actor, action="outreach.campaign.schedule", obj=campaign, summary=str(campaign.scheduled_at))
    if send_at is None:
        from ..tasks import campaign_start_task

        campaign_start_task.delay_on_commit(campaign.pk)
    return campaign


def _transition(*, actor, campaign: Campaign, allowed: set, to: str) -> Campaign:
    _require_manager(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state not in allowed:
        raise ValidationError(
            _("The campaign's state (%(state)s) does not allow this.") % {"state": campaign.get_state_display()}
        )
    campaign.state = to
    if to == Campaign.State.CANCELLED:
        campaign.finished_at = timezone.now()
    campaign.save(update_fields=["state", "finished_at", "updated_at"])
    audit_record(actor=actor, action=f"outreach.campaign.{to}", obj=campaign)
    return campaign


@transaction.atomic
def campaign_pause(*, actor, campaign: Campaign) -> Campaign:
    return _transition(actor=actor, campaign=campaign, allowed={Campaign.State.SENDING}, to=Campaign.State.PAUSED)


@transaction.atomic
def campaign_resume(*, actor, campaign: Campaign) -> Campaign:
    campaign = _transition(actor=actor, campaign=campaign, allowed={Campaign.State.PAUSED}, to=Campaign.State.SENDING)
    transaction.on_commit(lambda: deliveries_enqueue(campaign_id=campaign.pk))
    return campaign


def campaign_resume_now(*, actor, campaign: Campaign) -> int:
    """The outreach manager's "resume now": the campaign's messages held by workers that stopped (three heartbeats
    missed) go back to the queue at once, ahead of the rest, without waiting for the sweep; when no worker holds
    any, every pending message is queued again (a lost task). Repeats are harmless. Returns messages given back."""
    from ..selectors import workers_stopped_cutoff

    _require_manager(actor)
    if campaign.state != Campaign.State.SENDING:
        raise ValidationError(
            _("The campaign's state (%(state)s) does not allow this.") % {"state": campaign.get_state_display()}
        )
    with transaction.atomic():
        marks_fold()  # what a stopped worker recorded is sent, not given back
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE outreach_delivery d SET state = 'pending', claimed_by = '', claimed_at = NULL, "
                "updated_at = now() WHERE campaign_id = %s AND state IN ('pending', 'sending') AND claimed_by <> '' "
                f"AND {NOT_MARKED} AND claimed_by NOT IN (SELECT name FROM outreach_sendingworker WHERE heartbeat_at >= %s) "
                "RETURNING id",
                [campaign.pk, workers_stopped_cutoff()],
            )
            released = sorted(pk for (pk,) in cursor.fetchall())
        audit_record(
            actor=actor, action="outreach.campaign.resume_now", obj=campaign, summary=f"{len(released)} given back"
        )
        if released:
            transaction.on_commit(lambda: deliveries_enqueue(campaign_id=campaign.pk, ids=released, first=True))
        else:
            transaction.on_commit(lambda: deliveries_enqueue(campaign_id=campaign.pk, first=True))
    return len(released)


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign) -> Campaign:
    campaign = _transition(
        actor=actor,
        campaign=campaign,
        allowed={Campaign.State.DRAFT, Campaign.State.SCHEDULED, Campaign.State.SENDING, Campaign.State.PAUSED},
        to=Campaign.State.CANCELLED,
    )
    Delivery.objects.filter(campaign=campaign, state=Delivery.State.PENDING).update(
        state=Delivery.State.SKIPPED, reason="campaign cancelled", updated_at=timezone.now()
    )
    return campaign
