"""The exchange pages: who gets in, forms that keep what was typed, lists with a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import pdf as core_pdf
from apps.exchange.models import ExchangeRequest, ExpertSelection, State
from tests.factories import UserFactory
from tests.factories.exchange import ExchangeRequestFactory, ExpertAssignmentFactory, ParticipantFactory

from .conftest import in_state


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.mark.parametrize("name", ["exchange:request-list", "exchange:request-waiting", "exchange:calendar"])
def test_list_pages_are_forbidden_to_a_user_without_an_exchange_role(cast, login, name):
    from django.urls import reverse

    assert login(cast.member).get(reverse(name)).status_code == 403


def test_the_new_request_page_is_for_focal_points_only(cast, login):
    assert login(cast.approver_sn).get("/exchange/new/").status_code == 403
    assert login(cast.focal).get("/exchange/new/").status_code == 200


def test_a_request_outside_the_users_scope_is_not_found(cast, login, study_visit):
    in_state(study_visit, State.SUBMITTED)
    assert login(cast.approver_ke).get(f"/exchange/{study_visit.pk}/").status_code == 404
    assert login(cast.other_focal).get(f"/exchange/{study_visit.pk}/").status_code == 404
    assert login(cast.approver_ma).get(f"/exchange/{study_visit.pk}/").status_code == 200


def test_editing_is_forbidden_to_an_approver_who_sees_the_request(cast, login, study_visit):
    in_state(study_visit, State.SUBMITTED)
    assert login(cast.approver_sn).get(f"/exchange/{study_visit.pk}/edit/").status_code == 403


def test_the_request_form_keeps_what_was_typed_and_says_what_is_wrong_in_french(cast, login):
    start = timezone.localdate() + timedelta(days=60)
    response = login(cast.focal).post(
        "/fr/exchange/new/",
        {
            "kind": "study_visit",
            "requesting_institution": cast.institution.pk,
            "title": "Visite d'étude à Rabat",
            "theme": "skills_networks",
            "host_country": "MA",
            "start_date": start.isoformat(),
            "end_date": (start - timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Visite d&#x27;étude à Rabat" in page
    assert "La date de fin doit être le jour de début ou après" in page
    assert not ExchangeRequest.objects.exists()


def test_a_focal_point_drafts_a_request_and_adds_participants_from_the_pages(cast, login):
    start = timezone.localdate() + timedelta(days=60)
    client = login(cast.focal)
    response = client.post(
        "/exchange/new/",
        {
            "kind": "study_visit",
            "requesting_institution": cast.institution.pk,
            "title": "Visit to Rabat",
            "theme": "skills_networks",
            "host_country": "MA",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3)).isoformat(),
        },
    )
    request = ExchangeRequest.objects.get()
    assert response.status_code == 302
    assert request.created_by == cast.focal and request.requesting_country_id == "SN"
    for n in range(4):
        response = client.post(
            f"/exchange/{request.pk}/participants/new/",
            {"name": f"P{n}", "institution": "Institute", "country": "SN", "email": f"p{n}@example.org"},
        )
    assert response.status_code == 200, "the fourth Senegalese participant is refused on the form"
    assert "at most 3 participants" in response.content.decode()
    assert request.participants.count() == 3


def test_the_request_page_shows_the_decision_timeline_and_the_deciders_buttons(cast, login, study_visit):
    from apps.exchange import services

    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    services.exchange_request_endorse(exchange_request=study_visit, actor=cast.approver_sn, comment="Fits our plan.")
    page = login(cast.approver_ma).get(f"/exchange/{study_visit.pk}/").content.decode()
    assert page.count('data-testid="decision"') == 2
    assert "Fits our plan." in page
    assert 'data-action="accept"' in page and 'data-action="reject"' in page
    page = login(cast.approver_sn).get(f"/exchange/{study_visit.pk}/").content.decode()
    assert "data-action=" not in page


def test_a_decision_on_a_request_that_moved_on_shows_a_clear_message(cast, login, study_visit):
    in_state(study_visit, State.ENDORSED)
    response = login(cast.approver_sn).post(
        f"/exchange/{study_visit.pk}/transition/", {"action": "endorse"}, follow=True
    )
    assert "is not possible in that state" in response.content.decode()


def test_a_coordinator_adds_an_expert_by_email_and_selects_them(cast, login):
    expert = UserFactory(email="statistician@example.org")
    request = in_state(
        ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal), State.ACCEPTED
    )
    client = login(cast.coordinator)
    response = client.post(
        f"/exchange/{request.pk}/experts/",
        {"op": "add", "email": "statistician@example.org", "provider_country": "TN"},
    )
    assert response.status_code == 302
    selection = ExpertSelection.objects.get(request=request, expert=expert)
    assert selection.status == "shortlisted"
    # Selected only once called and interested.
    client.post(f"/exchange/{request.pk}/experts/", {"op": "select", "target": selection.pk})
    selection.refresh_from_db()
    assert selection.status == "shortlisted"
    client.post(f"/exchange/{request.pk}/experts/", {"op": "call"})
    ExpertSelection.objects.filter(pk=selection.pk).update(status="interested")
    client.post(f"/exchange/{request.pk}/experts/", {"op": "select", "target": selection.pk})
    selection.refresh_from_db()
    assert selection.status == "selected"
    assert login(cast.approver_sn).get(f"/exchange/{request.pk}/experts/").status_code == 403


def test_the_dashboard_lists_the_exchange_pages_for_each_exchange_role(cast, login):
    for user in (cast.focal, cast.approver_ma, cast.coordinator):
        page = login(user).get("/dashboard/").content.decode()
        assert "/exchange/waiting/" in page and "/exchange/calendar/" in page
    assert "/exchange/new/" in login(cast.focal).get("/dashboard/").content.decode()


def _rows(cast, n, state):
    for i in range(n):
        request = ExchangeRequestFactory(
            requesting_institution=cast.institution,
            created_by=cast.focal,
            state=state,
            start_date=timezone.localdate() + timedelta(days=40 + i),
        )
        ParticipantFactory(request=request)


@pytest.mark.parametrize(
    ("url", "user", "state"),
    [
        ("/exchange/", "coordinator", State.SUBMITTED),
        ("/exchange/?state=submitted&requesting_country=SN&host_country=MA", "approver_ma", State.SUBMITTED),
        ("/exchange/waiting/", "approver_sn", State.SUBMITTED),
        ("/exchange/calendar/", "focal", State.SCHEDULED),
    ],
)
def test_list_pages_run_the_same_number_of_queries_at_10_and_100_rows(cast, login, url, user, state):
    client = login(getattr(cast, user))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _rows(cast, 10, state)
    at_10 = count()
    _rows(cast, 90, state)
    at_100 = count()
    assert at_10 == at_100


@pytest.mark.browser
def test_the_printable_sheet_is_a_pdf_in_the_viewers_language(cast, login, study_visit, monkeypatch):
    printed = []
    original = core_pdf.html_to_pdf

    def keep_html(html, **kwargs):
        printed.append(html)
        return original(html, **kwargs)

    monkeypatch.setattr(core_pdf, "html_to_pdf", keep_html)
    cast.approver_ma.preferred_language = "ar"
    cast.approver_ma.save()
    from apps.exchange import services

    services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    response = login(cast.approver_ma).get(f"/ar/exchange/{study_visit.pk}/sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'dir="rtl"' in printed[0] and "المشاركون" in printed[0] and "←" in printed[0]
    assert login(cast.approver_ke).get(f"/exchange/{study_visit.pk}/sheet.pdf").status_code == 404


def _expert_assignment_post(cast, upload):
    start = timezone.localdate() + timedelta(days=60)
    return {
        "kind": "expert_assignment",
        "requesting_institution": cast.institution.pk,
        "title": "Statistician for remittance data",
        "theme": "remittances_investment",
        "host_country": "MA",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=10)).isoformat(),
        "isco_codes": "2120, 2511",
        "terms_of_reference_file": upload,
    }


def test_terms_of_reference_must_be_a_pdf(cast, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("tor.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = login(cast.focal).post("/exchange/new/", _expert_assignment_post(cast, fake))
    assert response.status_code == 200
    assert "must be a PDF file" in response.content.decode()
    assert not ExchangeRequest.objects.exists()


def test_terms_of_reference_are_downloaded_only_by_those_who_see_the_request(cast, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("tor.pdf", b"%PDF-1.4 terms", content_type="application/pdf")
    assert login(cast.focal).post("/exchange/new/", _expert_assignment_post(cast, pdf)).status_code == 302
    request = ExchangeRequest.objects.get()
    assert request.isco_codes == ["2120", "2511"]
    in_state(request, State.SUBMITTED)
    url = f"/exchange/{request.pk}/files/terms-of-reference/"
    response = login(cast.approver_ma).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 terms"
    assert login(cast.approver_ke).get(url).status_code == 404
    assert login(cast.approver_ma).get(f"/exchange/{request.pk}/files/report-attachment/").status_code == 404


@pytest.mark.django_db
def test_a_malformed_expert_selection_id_is_a_404_not_a_500(client):
    from apps.core.roles import Role
    from tests.factories import user_with_role
    from tests.factories.exchange import ExpertAssignmentFactory

    coordinator = user_with_role(Role.COORDINATOR)
    request = ExpertAssignmentFactory(state="accepted")
    client.force_login(coordinator)
    for data in ({"op": "select", "target": "abc"}, {"op": "fly", "target": "1"}, {"op": "select", "target": "999999"}):
        assert client.post(f"/exchange/{request.pk}/experts/", data).status_code == 404
