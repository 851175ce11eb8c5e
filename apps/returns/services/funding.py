"""Writes to funding opportunities, and the alerts members get when one is published."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from ..models import FundingAlert, FundingOpportunity
from ..permissions import can_edit_content
from ._common import LANGUAGE_CODES, apply, require

logger = logging.getLogger(__name__)

TRANSLATED_FIELDS = [f"{name}_{code}" for code in LANGUAGE_CODES for name in ("title", "description")]
FIELDS = ["funder", "kind", "amount_min", "amount_max", "currency", "cofunding_percent", "deadline", "link"]
FIELDS += TRANSLATED_FIELDS


def _check(opportunity: FundingOpportunity) -> None:
    errors = {}
    if not any(getattr(opportunity, f"title_{code}") for code in LANGUAGE_CODES):
        errors["title_en"] = _("Give the opportunity a title.")
    for name in ("amount_min", "amount_max"):
        value = getattr(opportunity, name)
        if value is not None and value < 0:
            errors[name] = _("An amount cannot be negative.")
    if (
        "amount_max" not in errors
        and opportunity.amount_min is not None
        and opportunity.amount_max is not None
        and opportunity.amount_max < opportunity.amount_min
    ):
        errors["amount_max"] = _("The maximum amount is below the minimum amount.")
    if opportunity.deadline and opportunity.deadline < timezone.localdate() and opportunity.pk is None:
        errors["deadline"] = _("The deadline has already passed.")
    if errors:
        raise ValidationError(errors)
    opportunity.full_clean(exclude=["title", "description"])


def _set_relations(opportunity: FundingOpportunity, countries, sectors) -> None:
    if countries is not None:
        if not countries:
            raise ValidationError({"countries": _("Choose at least one eligible country.")})
        opportunity.countries.set(countries)
    if sectors is not None:
        opportunity.sectors.set(sectors)


@transaction.atomic
def funding_opportunity_create(*, actor, data: dict, countries, sectors=()) -> FundingOpportunity:
    require(can_edit_content(actor))
    opportunity = FundingOpportunity()
    apply(opportunity, data, FIELDS)
    _check(opportunity)
    opportunity.save()
    _set_relations(opportunity, countries, sectors)
    audit_record(actor=actor, action="funding.create", obj=opportunity, summary=str(opportunity))
    return opportunity


@transaction.atomic
def funding_opportunity_update(
    *, opportunity: FundingOpportunity, actor, data: dict, countries=None, sectors=None
) -> FundingOpportunity:
    require(can_edit_content(actor))
    apply(opportunity, data, FIELDS)
    _check(opportunity)
    opportunity.save()
    _set_relations(opportunity, countries, sectors)
    audit_record(actor=actor, action="funding.update", obj=opportunity, summary=str(opportunity))
    return opportunity


@transaction.atomic
def funding_opportunity_publish(*, opportunity: FundingOpportunity, actor) -> FundingOpportunity:
    """Publish the opportunity (written in every portal language, deadline still ahead) and alert members."""
    require(can_edit_content(actor))
    opportunity = FundingOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == FundingOpportunity.Status.PUBLISHED:
        return opportunity
    errors = {}
    for code in LANGUAGE_CODES:
        if not (getattr(opportunity, f"title_{code}") or "").strip():
            errors[f"title_{code}"] = _("Give the title in this language before publishing.")
    if opportunity.deadline < timezone.localdate():
        errors["deadline"] = _("The deadline is before the publication date.")
    if not opportunity.countries.exists():
        errors["countries"] = _("Choose at least one eligible country.")
    if errors:
        raise ValidationError(errors)
    opportunity.status = FundingOpportunity.Status.PUBLISHED
    opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="funding.publish", obj=opportunity, summary=str(opportunity))

    from ..tasks import send_funding_alerts

    transaction.on_commit(lambda: send_funding_alerts.delay(opportunity.pk))
    return opportunity


@transaction.atomic
def funding_opportunity_withdraw(*, opportunity: FundingOpportunity, actor) -> FundingOpportunity:
    require(can_edit_content(actor))
    opportunity.status = FundingOpportunity.Status.WITHDRAWN
    opportunity.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="funding.withdraw", obj=opportunity, summary=str(opportunity))
    return opportunity


def funding_alerts_send(*, opportunity_id: int) -> int:
    """E-mail every matching, consenting member once about a published opportunity, and attach it to the return
    plans it fits. Returns how many e-mails were sent.

    A row in FundingAlert (unique per opportunity and member) is claimed before sending, so a repeat of the task
    skips members already alerted; a claim whose sending failed stays unsent and is retried by the next run.
    """
    from ..notifications import send_funding_alert
    from ..selectors import funding_alert_recipients

    opportunity = FundingOpportunity.objects.filter(
        pk=opportunity_id, status=FundingOpportunity.Status.PUBLISHED
    ).first()
    if opportunity is None:
        return 0
    from .plans import return_plans_match_funding

    return_plans_match_funding(opportunity=opportunity)
    sent = 0
    for user in funding_alert_recipients(opportunity=opportunity):
        alert, _created = FundingAlert.objects.get_or_create(opportunity=opportunity, user=user)
        if alert.sent_at is not None:
            continue
        with transaction.atomic():
            locked = FundingAlert.objects.select_for_update(skip_locked=True).filter(pk=alert.pk, sent_at=None).first()
            if locked is None:
                continue
            send_funding_alert(user=user, opportunity=opportunity)
            FundingAlert.objects.filter(pk=alert.pk).update(sent_at=timezone.now())
            sent += 1
    return sent
