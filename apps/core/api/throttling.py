"""API throttles that count per client address by the portal's one rule (apps/core/client_address.py).

DRF's own throttles read X-Forwarded-For from anyone, so a caller could pick a new address per request.
"""

from rest_framework.throttling import AnonRateThrottle

from ..client_address import client_address


class AnonAddressThrottle(AnonRateThrottle):
    """Anonymous callers limited per client address (rate ``anon``)."""

    def get_ident(self, request):
        return client_address(request) or "unknown"
