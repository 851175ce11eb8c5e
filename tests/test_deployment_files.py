"""docker-compose.yml describes the production-like deployment; the Dockerfile builds what it runs."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "POSTGRES_PASSWORD": "pw",
    "EMAIL_HOST": "smtp.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "OFFICES_NOTES_KEY": "key",
    "MINIO_ROOT_PASSWORD": "minio-secret",
}


def test_compose_has_every_service_with_health_checks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"] == "postgres:18"
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()


def test_compose_file_validates_with_the_docker_cli():
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose", "config", "-q"]
    else:
        assert shutil.which("docker-compose"), "install docker compose (or Debian's docker-compose) to validate"
        command = ["docker-compose", "config", "-q"]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_dockerfile_compiles_messages_and_collects_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "compile_messages.py" in dockerfile and "collectstatic" in dockerfile
