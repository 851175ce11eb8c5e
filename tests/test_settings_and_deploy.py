"""Configuration errors are one clear line; production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "OFFICES_NOTES_KEY": "Vx6dBj3W0bQm3r8bXOMQ0KsZ3QHqv1Lq5qk2rD3oXkQ=",
    "DATABASE_URL": "postgres://portal@db.example.org/portal",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def manage(*args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_stops_startup_with_one_line_naming_it():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": None})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: the environment variable DJANGO_SECRET_KEY is required and is not set"
    ]


def test_a_malformed_database_url_is_named():
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": "mysql://nope"})
    assert result.returncode == 1
    assert "DATABASE_URL is malformed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_redis_url_is_named():
    result = manage("check", **{**PRODUCTION, "REDIS_URL": None})
    assert result.returncode == 1
    assert "REDIS_URL is required" in result.stderr


def one_line_refusal(**changes) -> str:
    result = manage("check", **{**PRODUCTION, **changes})
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_missing_notes_key_stops_startup_with_the_same_one_line_as_the_other_variables():
    assert one_line_refusal(OFFICES_NOTES_KEY=None) == (
        "Configuration error: the environment variable OFFICES_NOTES_KEY is required and is not set"
    )


def test_a_malformed_notes_key_is_one_line_that_does_not_repeat_the_key():
    line = one_line_refusal(OFFICES_NOTES_KEY="not-a-fernet-key-at-all")
    assert line.startswith("Configuration error: the environment variable OFFICES_NOTES_KEY is malformed: key 1 ")
    assert "not-a-fernet-key-at-all" not in line
    good = PRODUCTION["OFFICES_NOTES_KEY"]
    assert "key 2 is not a Fernet key" in one_line_refusal(OFFICES_NOTES_KEY=f"{good},short")


def test_allowed_hosts_with_no_host_after_trimming_are_refused():
    line = one_line_refusal(DJANGO_ALLOWED_HOSTS=" , ")
    assert line == "Configuration error: the environment variable DJANGO_ALLOWED_HOSTS is malformed: no host name in it"


def test_a_malformed_trusted_proxy_list_is_named():
    line = one_line_refusal(PORTAL_TRUSTED_PROXIES="10.0.0.0/8, proxy.example.org")
    assert line == (
        "Configuration error: the environment variable PORTAL_TRUSTED_PROXIES is malformed: "
        "'proxy.example.org' is not an address or a CIDR block"
    )


def test_two_notes_keys_and_a_trusted_proxy_list_start():
    from cryptography.fernet import Fernet

    keys = f"{Fernet.generate_key().decode()}, {PRODUCTION['OFFICES_NOTES_KEY']}"
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "OFFICES_NOTES_KEY": keys, "PORTAL_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
