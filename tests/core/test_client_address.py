"""The client's address behind a trusted reverse proxy, and only behind one (PORTAL_TRUSTED_PROXIES)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core.audit import audit_record
from apps.core.client_address import client_address
from apps.core.ratelimit import ratelimit
from tests.factories import UserFactory

PROXY = "10.0.0.5"
LOGIN = "/accounts/login/"


@pytest.fixture
def behind_proxy(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::/32"]


def request_from(remote: str, forwarded: str | None = None, path: str = "/"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get(path, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    assert client_address(request_from(PROXY, "198.51.100.1")) == PROXY


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(behind_proxy):
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_nearest_untrusted_hop(behind_proxy):
    assert client_address(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"
    # a client that sends its own header cannot choose its address: the proxy appends the real one
    assert client_address(request_from(PROXY, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # two trusted proxies in a row (a load balancer, then nginx)
    assert client_address(request_from(PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.7")) == "198.51.100.1"
    assert client_address(request_from("2001:db8::1", "2001:db8::2, [2001:db8:ffff::9]:443")) == "2001:db8::2"


def test_a_garbled_or_missing_header_leaves_the_last_trusted_hop(behind_proxy):
    assert client_address(request_from(PROXY)) == PROXY
    assert client_address(request_from(PROXY, "198.51.100.1, not-an-address")) == PROXY
    assert client_address(request_from(PROXY, "10.0.0.8")) == "10.0.0.8"


@pytest.mark.django_db
def test_the_audit_log_records_the_client_behind_a_trusted_proxy_and_the_connection_otherwise(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    user = UserFactory()
    trusted = audit_record(actor=user, action="test.read", request=request_from(PROXY, "198.51.100.1"))
    spoofed = audit_record(actor=user, action="test.read", request=request_from("203.0.113.9", "198.51.100.1"))
    assert trusted.ip_address == "198.51.100.1"
    assert spoofed.ip_address == "203.0.113.9"


@ratelimit(scope="test-proxy", limit=2, period=60)
def limited_view(request):
    return HttpResponse("ok")


def test_the_rate_limit_counts_each_client_behind_the_proxy_not_the_proxy(settings, behind_proxy):
    settings.RATELIMIT_ENABLED = True
    first = [limited_view(request_from(PROXY, "198.51.100.21")).status_code for _ in range(3)]
    assert first == [200, 200, 429]
    assert limited_view(request_from(PROXY, "198.51.100.22")).status_code == 200


def test_a_client_that_forges_the_header_stays_limited(settings, behind_proxy):
    settings.RATELIMIT_ENABLED = True
    codes = [limited_view(request_from("203.0.113.31", f"198.51.100.{n}")).status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_allauth_and_the_api_throttle_use_the_same_rule(behind_proxy):
    from allauth.account.adapter import get_adapter

    from apps.core.api.throttling import AnonAddressThrottle

    request = request_from(PROXY, "1.2.3.4, 198.51.100.40")
    assert get_adapter().get_client_ip(request) == "198.51.100.40"
    assert AnonAddressThrottle().get_ident(request) == "198.51.100.40"
    assert AnonAddressThrottle().get_ident(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def sign_in(client, email, password, forwarded):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_persons_failures_do_not_lock_out_the_owner(client, settings, behind_proxy):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip"}  # allauth's per-address limit, as in production
    UserFactory(email="owner@example.org")
    for _ in range(5):
        sign_in(client, "owner@example.org", "guessing", "198.51.100.66")
    assert sign_in(client, "owner@example.org", "guessing", "198.51.100.66").status_code == 429
    assert sign_in(client, "owner@example.org", "correct-horse-battery", "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_without_trusting_the_proxy_everyone_behind_it_shares_one_address(client, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    UserFactory(email="shared@example.org")
    for _ in range(5):
        sign_in(client, "shared@example.org", "guessing", "198.51.100.66")
    assert sign_in(client, "shared@example.org", "correct-horse-battery", "198.51.100.7").status_code == 429
