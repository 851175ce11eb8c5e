"""Referrals made by the user's offices and to the user's organisations."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Referral
from ..permissions import member_organisation_ids
from .common import readable_person_q


def referral_list(*, user, direction: str = "") -> QuerySet[Referral]:
    """Referrals the user's offices made (``sent``) and those made to the user's organisations (``received``)."""
    sent = readable_person_q(user, "person__", office_prefix="")
    received = Q(organisation_id__in=member_organisation_ids(user))
    condition = {"sent": sent, "received": received}.get(direction, sent | received)
    return (
        Referral.objects.filter(condition)
        .select_related("person", "office__organisation", "organisation", "created_by")
        .order_by("-created_at", "-id")
    )


def referral_get(*, user, pk: int) -> Referral:
    referral = (
        referral_list(user=user)
        .select_related("person__office__organisation", "person__counsellor", "person__nationality")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral
