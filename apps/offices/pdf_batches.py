"""Referral letters for a list of referrals, printed by a worker as one ZIP (apps.core.pdf_batches)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.pdf_batches import PdfBatchKind, PdfDocument

# A batch prints at most this many letters (the newest); the list page says so.
MAX_LETTERS = 500
DIRECTIONS = ("", "sent", "received")


def _may_request(user, params: dict) -> bool:
    from .permissions import can_see_referrals

    return params.get("direction", "") in DIRECTIONS and can_see_referrals(user)


def _referrals(user, params: dict):
    from .selectors import referral_list

    return referral_list(user=user, direction=params.get("direction", ""))[:MAX_LETTERS]


def _documents(user, params: dict):
    """Each letter in its person's language; each person's record read is audited as the letter page does."""
    from .selectors import referred_person_get

    for referral in _referrals(user, params):
        person = referred_person_get(user=user, referral=referral)
        language = person.preferred_language
        yield PdfDocument(
            filename=f"referral-{referral.pk}-{language}.pdf",
            template="offices/pdf/referral_letter.html",
            context={"referral": referral, "person": person},
            language=language,
        )


def _title(params: dict) -> str:
    titles = {
        "sent": _("Referral letters: sent by my office"),
        "received": _("Referral letters: received by my organisation"),
    }
    return str(titles.get(params.get("direction", ""), _("Referral letters")))


REFERRAL_LETTERS = PdfBatchKind(
    may_request=_may_request,
    documents=_documents,
    count=lambda user, params: _referrals(user, params).count(),
    title=_title,
)
