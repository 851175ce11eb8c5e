"""Documents sent through the API are checked by the same rule as on the pages (one rule, on the model fields):
the programme of a schedule by multipart, a PDF by its content, up to 5 MB; refusals in the one error shape."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.exchange.models import ExchangeRequest, Schedule, State

from .conftest import in_state

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCHEDULE = {
    "venue": "Ministère des Marocains du monde, salle 2",
    "city": "Rabat",
    "host_contact_name": "Amina Berrada",
    "host_contact_email": "amina@example.org",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _body(request, upload):
    return {
        **SCHEDULE,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "evaluation_deadline": (request.end_date + timedelta(days=20)).isoformat(),
        "programme_file": upload,
    }


def _url(request):
    return f"/api/v1/exchange-requests/{request.pk}/schedule/"


def test_the_api_schedules_with_the_programme_sent_as_a_pdf_by_multipart(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    upload = SimpleUploadedFile("programme.pdf", PDF, content_type="application/pdf")
    response = _api(cast.coordinator).put(_url(study_visit), _body(study_visit, upload), format="multipart")
    assert response.status_code == 200, response.content
    assert "programme_file" not in response.json()  # never handed back as a storage address
    schedule = Schedule.objects.get(request=study_visit)
    assert schedule.programme_file.read() == PDF
    assert ExchangeRequest.objects.get(pk=study_visit.pk).state == State.SCHEDULED


@pytest.mark.parametrize(
    ("name", "content"),
    [("programme.pdf", b"MZ\x90\x00 an executable named .pdf"), ("programme.txt", b"Day 1: opening")],
)
def test_the_api_refuses_a_programme_that_is_not_a_pdf_by_its_content_in_the_one_error_shape(
    cast, study_visit, name, content
):
    in_state(study_visit, State.APPROVED)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _api(cast.coordinator).put(_url(study_visit), _body(study_visit, upload), format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["programme_file"] == ["The programme must be a PDF file."]
    assert not Schedule.objects.filter(request=study_visit).exists()
    assert ExchangeRequest.objects.get(pk=study_visit.pk).state == State.APPROVED


def test_the_api_refuses_a_programme_over_5_mb(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    big = SimpleUploadedFile("programme.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = _api(cast.coordinator).put(_url(study_visit), _body(study_visit, big), format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["programme_file"] == ["The file is larger than 5 MB."]
    assert not Schedule.objects.filter(request=study_visit).exists()


def test_the_page_and_the_api_refuse_the_same_file_with_the_same_words(cast, study_visit, login):
    in_state(study_visit, State.APPROVED)
    fake = b"MZ not a pdf"
    api = _api(cast.coordinator).put(
        _url(study_visit), _body(study_visit, SimpleUploadedFile("p.pdf", fake)), format="multipart"
    )
    page = login(cast.coordinator).post(
        f"/exchange/{study_visit.pk}/schedule/",
        {**_body(study_visit, SimpleUploadedFile("p.pdf", fake)), "programme": ""},
    )
    assert page.status_code == 200
    assert api.json()["error"]["fields"]["programme_file"] == list(page.context["form"].errors["programme_file"])


def test_a_wrong_role_or_office_gets_403_or_404_for_a_multipart_schedule(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    upload = SimpleUploadedFile("programme.pdf", PDF, content_type="application/pdf")
    assert _api(cast.focal).put(_url(study_visit), _body(study_visit, upload), format="multipart").status_code == 403
    upload.seek(0)
    response = _api(cast.approver_ke).put(_url(study_visit), _body(study_visit, upload), format="multipart")
    assert response.status_code == 404
    assert not Schedule.objects.filter(request=study_visit).exists()


def test_the_api_refuses_terms_of_reference_that_are_not_a_pdf(cast):
    body = {
        "kind": "expert_assignment",
        "requesting_institution": cast.institution.pk,
        "host_country": "MA",
        "title": "Diaspora investment desk",
        "theme": "remittances_investment",
        "terms_of_reference_file": SimpleUploadedFile("tor.pdf", b"MZ not a pdf"),
    }
    response = _api(cast.focal).post("/api/v1/exchange-requests/", body, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["terms_of_reference_file"] == [
        "The terms of reference must be a PDF file."
    ]
    assert not ExchangeRequest.objects.exists()
