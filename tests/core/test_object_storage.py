"""Files in object storage: what one host writes, every other host reads, through the same permission checks.

The storage is a local server that speaks the S3 protocol (moto's server mode, over HTTP on loopback), never a
real cloud service.
"""

from __future__ import annotations

import io
import socket

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.skills.models import DiasporaProfile
from tests.factories.skills import ProfileFactory, member
from tests.skills.test_member_wizard import pdf_bytes, step_url

pytestmark = pytest.mark.django_db

BUCKET = "portal-files"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """The portal's default storage pointed at the S3 server, configured the way production reads S3_* variables."""
    from diaspora_portal.settings.base import file_storage

    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "portal",
        "S3_SECRET_ACCESS_KEY": "portal-secret",
        "S3_PREFIX": "media",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage()}
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_without_s3_bucket_files_stay_on_the_local_disk(monkeypatch):
    from diaspora_portal.settings.base import file_storage

    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_cv_uploaded_through_one_host_is_in_the_bucket_and_not_on_local_disk(client, s3_storage, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = member()
    client.force_login(owner)
    profile = ProfileFactory(user=owner)
    assert client.post(step_url("cv"), {"cv": SimpleUploadedFile("x.pdf", pdf_bytes())}).status_code == 302
    profile.refresh_from_db()
    assert _keys(s3_storage) == [f"media/{profile.cv.name}"]
    assert not any(tmp_path.iterdir()), "an upload in object storage leaves nothing on the web host's disk"
    body = s3_storage.get_object(Bucket=BUCKET, Key=f"media/{profile.cv.name}")["Body"].read()
    assert body.startswith(b"%PDF-")


def test_a_cv_in_the_bucket_downloads_through_the_permission_checked_view_and_only_to_its_owner(client, s3_storage):
    owner = member()
    profile = ProfileFactory(user=owner)
    # Written by "another host": straight into the bucket, as a second web host or a worker would have.
    name = "cv/2026/cv-written-elsewhere.pdf"
    s3_storage.put_object(Bucket=BUCKET, Key=f"media/{name}", Body=pdf_bytes())
    DiasporaProfile.objects.filter(pk=profile.pk).update(cv=name)
    url = reverse("skills:cv-download", kwargs={"profile_id": profile.pk})

    client.force_login(member())
    assert client.get(url).status_code == 404

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_removing_a_cv_deletes_it_from_the_bucket(client, s3_storage, django_capture_on_commit_callbacks):
    owner = member()
    client.force_login(owner)
    ProfileFactory(user=owner)
    client.post(step_url("cv"), {"cv": SimpleUploadedFile("x.pdf", pdf_bytes())})
    assert len(_keys(s3_storage)) == 1
    from apps.skills.services.profiles import profile_remove_cv

    profile = DiasporaProfile.objects.get(user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        profile_remove_cv(profile=profile, actor=owner)
    assert _keys(s3_storage) == []
    assert AuditEvent.objects.filter(action="profile.cv_remove").exists()


def test_move_files_to_storage_copies_what_the_database_names_and_resumes(s3_storage, tmp_path):
    names = []
    for index in range(3):
        profile = ProfileFactory()
        name = f"cv/2025/cv-{index}.pdf"
        (tmp_path / "cv" / "2025").mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(pdf_bytes() + str(index).encode())
        DiasporaProfile.objects.filter(pk=profile.pk).update(cv=name)
        names.append(name)
    # A row whose file was lost on the old disk is reported, not invented.
    lost = ProfileFactory()
    DiasporaProfile.objects.filter(pk=lost.pk).update(cv="cv/2025/lost.pdf")
    (tmp_path / "unreferenced.pdf").write_bytes(b"not named by any row")

    out, err = io.StringIO(), io.StringIO()
    call_command("move_files_to_storage", "--source", str(tmp_path), "--dry-run", stdout=out, stderr=err)
    assert "would copy: 3 copied, 0 already there, 1 missing locally" in out.getvalue()
    assert _keys(s3_storage) == []

    # Interrupted after the first file: the next run copies only the rest.
    storages["default"].save(names[0], io.BytesIO((tmp_path / names[0]).read_bytes()))
    out = io.StringIO()
    call_command("move_files_to_storage", "--source", str(tmp_path), stdout=out, stderr=err)
    assert "2 copied, 1 already there, 1 missing locally" in out.getvalue()
    assert "1 file(s) referred to by the database are not in" in err.getvalue()
    assert sorted(_keys(s3_storage)) == sorted(f"media/{name}" for name in names)
    for index, name in enumerate(names):
        body = s3_storage.get_object(Bucket=BUCKET, Key=f"media/{name}")["Body"].read()
        assert body == pdf_bytes() + str(index).encode()
