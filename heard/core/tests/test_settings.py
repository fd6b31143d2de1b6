"""Production settings: refuse to start without a secret; pass `check --deploy` cleanly."""

import os
import subprocess
import sys
from pathlib import Path

from heard.audit.signing import new_private_key, private_pem

ROOT = Path(__file__).resolve().parents[3]
_THROWAWAY_AUDIT_KEY = private_pem(new_private_key())


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "heard.settings.production", **env})
    # Production also refuses to start without the audit signing key (ADR 10): a
    # throwaway one, unless the test says otherwise.
    clean.setdefault("HEARD_AUDIT_SIGNING_KEY", _THROWAWAY_AUDIT_KEY)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ALLOWED_HOSTS="heard.example.nhs.uk")
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="x.example")
    assert result.returncode != 0 and "shorter than 50 characters" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k" * 20 + "a-long-random-production-secret-for-the-test-0123456789",
        DJANGO_ALLOWED_HOSTS="heard.example.nhs.uk",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_names_a_missing_allowed_hosts_setting():
    result = _manage(
        "check",
        DJANGO_SECRET_KEY="k" * 20 + "a-long-random-production-secret-for-the-test-0123456789",
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr
