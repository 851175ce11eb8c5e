"""Writes of the outreach app: segments, campaigns and their states, notifications, unsubscribe, provider events.

Sending itself (claiming deliveries, talking to SMTP or the SMS gateway) lives in ``sending.py``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, F, Value, When
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.audit import audit_record
from apps.core.formatting import format_list, format_number
from apps.core.languages import language_name
from apps.core.notifications import notification_language  # noqa: F401 - part of this module's interface
from apps.core.validators import validate_clean_text
from apps.skills.models import CONSENT_FIELDS, ConsentPurpose, DiasporaProfile
from apps.skills.services import consent_withdraw, phone_normalise

from .models import AddressHold, Campaign, CampaignMessage, Channel, Delivery, Segment
from .permissions import can_manage_outreach
from .rendering import (
    SMS_MAX_SEGMENTS,
    placeholders_check,
    sms_is_stop,
    sms_length,
    sms_opt_out_text,
    unsubscribe_token_read,
)
from .selectors import recipient_languages, segment_filters_clean, segment_recipients
from .sms import SmsReceipt, get_sms_backend

logger = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _require_manager(actor) -> None:
    if not can_manage_outreach(actor):
        raise PermissionDenied


# Segments -----------------------------------------------------------------------------------------------------


@transaction.atomic
def segment_create(*, actor, name: str, filters: dict, description: str = "") -> Segment:
    _require_manager(actor)
    segment = Segment(name=name, description=description, filters=segment_filters_clean(filters), created_by=actor)
    segment.full_clean()
    validate_clean_text(name)
    segment.save()
    audit_record(actor=actor, action="outreach.segment.create", obj=segment, summary=name)
    return segment


@transaction.atomic
def segment_update(*, actor, segment: Segment, name: str, filters: dict, description: str = "") -> Segment:
    _require_manager(actor)
    segment.name, segment.description, segment.filters = name, description, segment_filters_clean(filters)
    segment.full_clean()
    segment.save()
    audit_record(actor=actor, action="outreach.segment.update", obj=segment, summary=name)
    return segment


# Campaigns ----------------------------------------------------------------------------------------------------


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
        from .tasks import campaign_start_task

        campaign_start_task.delay_on_commit(campaign.pk)
    return campaign


def _deliveries_insert(campaign: Campaign) -> int:
    """INSERT … SELECT one pending delivery per recipient, in the recipient's language, in one statement."""
    have = list(campaign.messages.values_list("language", flat=True))
    recipients = segment_recipients(segment=campaign.segment, channel=campaign.channel, kind=campaign.kind)
    address = F("phone") if campaign.channel == Channel.SMS else F("user__email")
    now = timezone.now()
    # Every column is an annotation, declared in the order of the INSERT's column list.
    columns = {
        "d_campaign": Value(campaign.pk),
        "d_user": F("user_id"),
        "d_profile": F("id"),
        "d_channel": Value(campaign.channel),
        "d_language": Case(
            When(user__preferred_language__in=have, then=F("user__preferred_language")),
            default=Value(campaign.default_language),
            output_field=CharField(),
        ),
        "d_address": address,
        "d_state": Value(Delivery.State.PENDING),
        "d_reason": Value(""),
        "d_attempts": Value(0),
        "d_kind": Value(""),
        "d_subject": Value(""),
        "d_body_text": Value(""),
        "d_body_html": Value(""),
        "d_provider_message_id": Value(""),
        "d_created_at": Value(now),
    }
    select_sql, params = recipients.order_by("id").annotate(**columns).values_list(*columns).query.sql_with_params()
    sql = (
        "INSERT INTO outreach_delivery (campaign_id, user_id, profile_id, channel, language, address, state, "
        "reason, attempts, kind, subject, body_text, body_html, provider_message_id, created_at) "
        f"{select_sql} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def campaign_start(*, campaign_id: int) -> int:
    """Turn a due campaign into deliveries (one statement), then queue them in blocks after commit.

    Returns the number of deliveries created; 0 when the campaign was not due (a repeat does nothing).
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        now = timezone.now()
        if campaign is None or campaign.state != Campaign.State.SCHEDULED or campaign.scheduled_at > now:
            return 0
        created = _deliveries_insert(campaign)
        campaign.state = Campaign.State.SENDING
        campaign.started_at = now
        campaign.recipient_count = Delivery.objects.filter(campaign=campaign).count()
        campaign.save(update_fields=["state", "started_at", "recipient_count", "updated_at"])
        audit_record(
            actor=None, action="outreach.campaign.start", obj=campaign, summary=f"{created} deliveries created"
        )
        transaction.on_commit(lambda: deliveries_enqueue(campaign_id=campaign.pk))
    return created


# Blocks of a campaign wait at a lower priority than blocks given back after a worker died, so that those are sent
# next rather than after the whole campaign (the Redis transport reads priority 0 first).
BLOCK_PRIORITY, RECOVERED_PRIORITY = 6, 0


def deliveries_enqueue(*, campaign_id: int, ids=None, first: bool = False) -> int:
    """Queue send tasks for the campaign's pending deliveries, in blocks of primary keys. Returns blocks queued.
    ``first``: ahead of the blocks already waiting (rows given back by the sweep)."""
    from .tasks import deliveries_send_task

    priority = RECOVERED_PRIORITY if first else BLOCK_PRIORITY

    size = settings.OUTREACH_BLOCK_SIZE
    if ids is None:
        ids = (
            Delivery.objects.filter(campaign_id=campaign_id, state=Delivery.State.PENDING)
            .order_by("id")
            .values_list("id", flat=True)
            .iterator(chunk_size=10000)
        )
    blocks = 0
    block: list[int] = []
    for pk in ids:
        block.append(pk)
        if len(block) >= size:
            deliveries_send_task.apply_async((block, campaign_id), priority=priority)
            blocks += 1
            block = []
    if block:
        deliveries_send_task.apply_async((block, campaign_id), priority=priority)
        blocks += 1
    return blocks


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
    from .selectors import workers_stopped_cutoff

    _require_manager(actor)
    if campaign.state != Campaign.State.SENDING:
        raise ValidationError(
            _("The campaign's state (%(state)s) does not allow this.") % {"state": campaign.get_state_display()}
        )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE outreach_delivery SET state = 'pending', claimed_by = '', claimed_at = NULL, "
                "updated_at = now() WHERE campaign_id = %s AND state IN ('pending', 'sending') AND claimed_by <> '' "
                "AND claimed_by NOT IN (SELECT name FROM outreach_sendingworker WHERE heartbeat_at >= %s) "
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


# Notifications ------------------------------------------------------------------------------------------------


def notification_send(
    *,
    user,
    kind: str,
    context: dict,
    idempotency_key: str | None = None,
    template: str | None = None,
    consent_purpose: str = "",
) -> Delivery | None:
    """Send a transactional e-mail to ``user`` through the delivery pipeline (queued after commit).

    The message is rendered in the user's language from ``<template>.subject.txt``, ``<template>.txt`` and, if
    it exists, ``<template>.html`` (otherwise the HTML part is the text with its line breaks); ``template``
    defaults to ``outreach/notifications/<kind>``, and each app keeps its own messages beside its templates.
    Newsletter consent does not apply; an erased or inactive account receives nothing (returns None). With
    ``idempotency_key``, a repeat sends nothing new. URLs in ``context`` should be made in the user's language
    (``notification_language(user)`` says which).

    With ``consent_purpose`` (a ``ConsentPurpose``) the message rests on that consent, as a campaign does: nothing
    is queued unless the member gives it now, the claim checks it again before sending, and the e-mail carries the
    signed one-click unsubscribe link and ``List-Unsubscribe`` headers for it."""
    if user.erased_at is not None or not user.is_active or not user.email:
        return None
    consent_column = CONSENT_FIELDS[ConsentPurpose(consent_purpose)] if consent_purpose else None
    fields = ["id", "erased_at", "first_name", *([consent_column] if consent_column else [])]
    profile = DiasporaProfile.objects.filter(user=user).only(*fields).first()
    if profile is not None and profile.erased_at is not None:
        return None
    if consent_column and (profile is None or not getattr(profile, consent_column)):
        return None
    if idempotency_key:
        existing = Delivery.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    language = notification_language(user)
    full_context = {"user": user, "profile": profile, "portal_name": settings.PORTAL_NAME, **context}
    base = template or f"outreach/notifications/{kind}"
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}.subject.txt", full_context).split())
        body_text = render_to_string(f"{base}.txt", full_context).strip()
        try:
            body_html = render_to_string(f"{base}.html", full_context)
        except TemplateDoesNotExist:
            body_html = linebreaks(urlize(body_text, nofollow=True, autoescape=True))
    on_hold = AddressHold.objects.filter(address=user.email).exists()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                campaign=None,
                user=user,
                profile=profile,
                kind=kind,
                channel=Channel.EMAIL,
                language=language,
                address=user.email,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                idempotency_key=idempotency_key or None,
                consent_purpose=consent_purpose,
                state=Delivery.State.SKIPPED if on_hold else Delivery.State.PENDING,
                reason="address on hold" if on_hold else "",
            )
    except IntegrityError:
        return Delivery.objects.get(idempotency_key=idempotency_key)
    if not on_hold:
        from .tasks import deliveries_send_task

        deliveries_send_task.delay_on_commit([delivery.pk], None)
    return delivery


# Unsubscribe and opt-out --------------------------------------------------------------------------------------


class UnsubscribeError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "expired" or "invalid"


def unsubscribe_token_check(token: str) -> tuple[DiasporaProfile, str]:
    """The profile and consent purpose of a valid token; UnsubscribeError("expired"|"invalid") otherwise."""
    try:
        data = unsubscribe_token_read(token)
    except signing.SignatureExpired:
        raise UnsubscribeError("expired") from None
    except signing.BadSignature:
        raise UnsubscribeError("invalid") from None
    profile = DiasporaProfile.objects.filter(pk=data.get("p")).first()
    if profile is None or data.get("c") not in ConsentPurpose.values:
        raise UnsubscribeError("invalid")
    return profile, data["c"]


@transaction.atomic
def unsubscribe_confirm(*, token: str, request=None) -> tuple[DiasporaProfile, str]:
    """One click: withdraw the consent the message was sent under. A repeat changes nothing."""
    profile, purpose = unsubscribe_token_check(token)
    consent_withdraw(profile=profile, purpose=purpose, method="unsubscribe", actor=profile.user, request=request)
    return profile, purpose


def _phone_e164(phone: str) -> str:
    try:
        return phone_normalise(phone)
    except ValidationError:
        return (phone or "").strip()


@transaction.atomic
def sms_stop_receive(*, phone: str, text: str) -> int:
    """An SMS from ``phone`` asking to stop (STOP, ARRÊT, توقف… see ``rendering.sms_is_stop``) withdraws the SMS
    consent of the profiles with that number and, after commit, confirms it to the number in the person's
    language. A repeated STOP is confirmed again. Returns the consents withdrawn."""
    if not sms_is_stop(text):
        return 0
    phone = _phone_e164(phone)
    withdrawn, language = 0, None
    for profile in DiasporaProfile.objects.filter(phone=phone, erased_at__isnull=True).select_related("user"):
        language = language or profile.user.preferred_language
        if profile.consent_sms:
            consent_withdraw(profile=profile, purpose=ConsentPurpose.SMS, method="sms_stop", actor=profile.user)
            withdrawn += 1
    if language is not None:  # only numbers of the portal's members get an answer
        from .tasks import sms_stop_confirm_task

        sms_stop_confirm_task.delay_on_commit(phone, language)
    return withdrawn


def sms_stop_confirm_send(*, phone: str, language: str) -> str:
    """Tell the number, in its owner's language, that no more SMS will come (through the configured gateway)."""
    with translation.override(language):
        text = _("%(portal)s: you will receive no more SMS from us. You can agree again in your profile.") % {
            "portal": settings.PORTAL_NAME
        }
    backend = get_sms_backend()
    try:
        return backend.send(to=phone, text=text, reference="stop-confirmation")
    finally:
        backend.close()


def sms_receipt_record(*, receipt: SmsReceipt) -> Delivery | None:
    """A gateway's delivery receipt: delivered, or failed with the gateway's reason; "on its way" changes nothing."""
    if not receipt.outcome:
        return None
    return delivery_tracking_record(
        event_type=receipt.outcome, provider_message_id=receipt.provider_message_id, description=receipt.reason
    )


# Provider events ----------------------------------------------------------------------------------------------

HOLD_EVENTS = {"bounced", "rejected", "complained"}


@transaction.atomic
def delivery_tracking_record(
    *, event_type: str, provider_message_id: str = "", delivery_id=None, recipient: str = "", description: str = ""
) -> Delivery | None:
    """A provider says a message was delivered or bounced: update the delivery; hard bounces hold the address."""
    qs = Delivery.objects.select_for_update()
    delivery = None
    if delivery_id and str(delivery_id).isdigit():
        delivery = qs.filter(pk=int(delivery_id)).first()
    if delivery is None and provider_message_id:
        delivery = qs.filter(provider_message_id=provider_message_id).first()
    if delivery is None:
        return None
    now = timezone.now()
    if event_type == "delivered" and delivery.state == Delivery.State.SENT:
        delivery.state = Delivery.State.DELIVERED
    elif event_type == "failed" and delivery.state in (Delivery.State.SENT, Delivery.State.DELIVERED):
        delivery.state = Delivery.State.FAILED  # an SMS gateway could not deliver it (number off, unknown…)
        delivery.reason = (description or event_type)[:500]
    elif event_type in HOLD_EVENTS:
        delivery.state = Delivery.State.BOUNCED
        delivery.reason = (description or event_type)[:500]
        AddressHold.objects.get_or_create(
            address=recipient or delivery.address, defaults={"reason": f"{event_type}: {description}"[:300]}
        )
    else:
        return delivery
    delivery.updated_at = now
    delivery.save(update_fields=["state", "reason", "updated_at"])
    return delivery
