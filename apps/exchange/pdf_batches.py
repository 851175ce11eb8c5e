"""All certificates of a closed exchange, printed by a worker as one ZIP (apps.core.pdf_batches)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.pdf_batches import PdfBatchKind, PdfDocument


def verify_url(code: str) -> str:
    """The public check of a certificate's code, isolated left-to-right so an Arabic sentence does not reorder it."""
    return f"\u2066{settings.PORTAL_BASE_URL.rstrip('/')}{reverse('exchange:certificate-verify')}?code={code}\u2069"


def _exchange_request(params: dict):
    from .models import ExchangeRequest

    pk = params.get("request")
    return ExchangeRequest.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def _may_request(user, params: dict) -> bool:
    from .permissions import COORDINATOR, REQUESTER, is_party

    exchange_request = _exchange_request(params)
    if exchange_request is None:
        return False
    return is_party(user, exchange_request, REQUESTER) or is_party(user, exchange_request, COORDINATOR)


def _certificates(params: dict):
    from .models import Certificate

    return Certificate.objects.filter(request_id=params.get("request")).select_related("request").order_by("id")


def _documents(user, params: dict):
    """Each certificate in its holder's language, as the single certificate prints."""
    for certificate in _certificates(params):
        yield PdfDocument(
            filename=f"certificate-{certificate.code}.pdf",
            template="exchange/pdf/certificate.html",
            context={
                "certificate": certificate,
                "exchange_request": certificate.request,
                "verify_url": verify_url(certificate.code),
            },
            language=certificate.language,
        )


CERTIFICATES = PdfBatchKind(
    may_request=_may_request,
    documents=_documents,
    count=lambda user, params: _certificates(params).count(),
    title=lambda params: str(_("Certificates of request %(number)s") % {"number": params.get("request")}),
)
