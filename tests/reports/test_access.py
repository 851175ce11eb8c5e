"""Who may see reports, and that nothing personal is reachable through them by page, export or API."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.roles import Role
from apps.reports import framework
from tests.factories import UserFactory, user_with_role

from .conftest import personal_strings

pytestmark = pytest.mark.django_db

ALLOWED = [Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR]
# Office managers see the offices report for their own offices (tests/reports/test_offices_outreach.py).
REFUSED = [role for role in Role if role not in ALLOWED and role != Role.OFFICE_MANAGER]


def every_report_url() -> list[str]:
    """The URLs in English (no language prefix); other languages are the same paths under /fr/ and /ar/."""
    with translation.override("en"):
        return _every_report_url()


def _every_report_url() -> list[str]:
    urls = [reverse("reports:dashboard"), "/api/v1/reports/"]
    for report in framework.reports():
        urls += [
            reverse("reports:report-detail", args=[report.slug]),
            reverse("reports:report-export-csv", args=[report.slug]),
            reverse("reports:report-export-xlsx", args=[report.slug]),
            f"/api/v1/reports/{report.slug}/",
        ]
    return urls


def body_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    return response.content.decode("utf-8")


@pytest.mark.parametrize("role", ALLOWED)
def test_analysts_coordinators_and_administrators_reach_every_report(client, role):
    client.force_login(user_with_role(role))
    for url in every_report_url():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", REFUSED)
def test_every_other_role_gets_403_on_every_report_page_export_and_api(client, role):
    client.force_login(user_with_role(role))
    for url in every_report_url():
        assert client.get(url).status_code == 403, url


def test_an_office_manager_of_no_office_opens_the_dashboard_but_gets_403_on_every_report(client):
    client.force_login(user_with_role(Role.OFFICE_MANAGER))  # a manager in an organisation that is not an office
    assert "No report is available to you." in client.get(reverse("reports:dashboard")).content.decode()
    assert client.get("/api/v1/reports/").json() == []
    for url in every_report_url()[2:]:
        assert client.get(url).status_code == 403, url


def test_a_signed_in_user_without_a_role_gets_403(client):
    client.force_login(UserFactory())
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get("/api/v1/reports/profiles/").json()["error"]["code"] == "permission_denied"


def test_anonymous_visitors_are_sent_to_sign_in_and_refused_by_the_api(client):
    response = client.get(reverse("reports:report-detail", args=["profiles"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/reports/profiles/").status_code in (401, 403)


def test_an_unknown_report_is_404(analyst_client):
    assert analyst_client.get(reverse("reports:report-detail", args=["nobody"])).status_code == 404
    assert analyst_client.get("/api/v1/reports/nobody/").status_code == 404


def test_no_name_email_or_free_text_of_any_member_appears_in_any_report_export_or_api_answer(
    analyst_client, analyst, known_members
):
    secrets = personal_strings()
    walked = 0
    for language in ("", "/fr", "/ar"):
        User.objects.filter(pk=analyst.pk).update(preferred_language=language.strip("/") or "en")
        for url in every_report_url():
            if language and url.startswith("/api/"):
                continue
            for query in ("", "?country=SN", "?from=2026-02&to=2026-03", "?country=MA"):
                response = analyst_client.get(f"{language}{url}{query}")
                assert response.status_code == 200, url
                text = body_text(response)
                leaked = [s for s in secrets if s in text]
                assert not leaked, (url, query, leaked)
                walked += 1
    assert walked > 60
    # The walk saw real figures, not empty pages.
    assert "<5" in body_text(analyst_client.get("/api/v1/reports/profiles/"))


def test_the_arabic_legend_isolates_the_small_count_marker_left_to_right_as_the_cells_do(analyst_client, analyst):
    """In Arabic text a bare "<5" is laid out right to left and reads "5>"; the cells are left to right."""
    from django.utils import translation

    User.objects.filter(pk=analyst.pk).update(preferred_language="ar")
    with translation.override("ar"):
        url = reverse("reports:report-detail", args=["profiles"])
    response = analyst_client.get(url)
    assert response.status_code == 200 and url.startswith("/ar/")
    page = response.content.decode()
    assert "\u2066<5\u2069" in page or "\u2066&lt;5\u2069" in page
