import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core.ratelimit import ratelimit


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLED = True


@ratelimit(scope="test-view", limit=3, period=60)
def limited_view(request):
    return HttpResponse("ok")


def request_from(ip: str, path: str = "/search/"):
    request = RequestFactory().get(path, REMOTE_ADDR=ip)
    return request


def test_a_client_is_limited_after_the_allowed_number_of_requests_and_others_are_not():
    codes = [limited_view(request_from("10.0.0.1")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert limited_view(request_from("10.0.0.2")).status_code == 200


def test_api_paths_get_the_json_error_shape_and_retry_after():
    for _ in range(3):
        limited_view(request_from("10.0.0.3", "/api/v1/x/"))
    response = limited_view(request_from("10.0.0.3", "/api/v1/x/"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b'"throttled"' in response.content


def test_the_public_endpoints_are_rate_limited():
    """The decorator is on the public search, office finder and unsubscribe views; the API type-ahead throttles."""
    from apps.core.api.throttling import AnonAddressThrottle
    from apps.offices.views import finder
    from apps.outreach.views import unsubscribe
    from apps.returns.views.library import info_sheet_list
    from apps.skills.api.staff import OccupationList

    for view in (finder, unsubscribe, info_sheet_list):
        assert view.__wrapped__ is not None, view
    assert AnonAddressThrottle in OccupationList.throttle_classes


def test_the_office_finder_answers_429_after_its_limit(db, settings):
    from django.test import Client

    client = Client(REMOTE_ADDR="192.0.2.50")
    codes = [client.get("/offices/", REMOTE_ADDR="192.0.2.50").status_code for _ in range(61)]
    assert codes[:60] == [200] * 60
    assert codes[60] == 429
