"""Withdrawing consent from a message: the one-click unsubscribe and an SMS STOP (with its confirmation)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.skills.models import ConsentPurpose, DiasporaProfile
from apps.skills.services import consent_withdraw, phone_normalise

from ..rendering import (
    sms_is_stop,
    unsubscribe_token_read,
)
from ..sms import get_sms_backend


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
    profile_id = data.get("p")
    profile = DiasporaProfile.objects.filter(pk=profile_id).first() if isinstance(profile_id, int) else None
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
        from ..tasks import sms_stop_confirm_task

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
