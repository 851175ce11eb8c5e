"""The address of the person behind a request, the one rule every part of the portal uses.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address. The proxy's X-Forwarded-For header is believed only
when the request comes from a proxy listed in PORTAL_TRUSTED_PROXIES (CIDR blocks): the header is read from the
right, skipping the trusted proxies, and the first address that is not one of them is the client. A header sent by
anyone else is ignored, so a client cannot choose its own address. Django-axes, allauth's rate limits, the portal's
rate limiter, the API throttles and the audit log all call client_address().
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values) -> tuple[Network, ...]:
    """CIDR blocks (or single addresses) as networks; ValueError names the first malformed one."""
    networks = []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an address or a CIDR block") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def trusted_proxies() -> tuple[Network, ...]:
    return _trusted(tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()))


def _address(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the nearest untrusted hop of X-Forwarded-For behind a trusted proxy."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",") if forwarded else []):
        address = _address(hop)
        if address is None:  # a garbled hop: nothing to its left can be believed
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
