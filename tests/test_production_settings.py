"""Production refuses to start without what a real deployment needs, and passes the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "p" * 20 + "roduction-key-with-enough-entropy-0123456789-abcdefghij"


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEMO_MODE",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_ENV",
            "ALLOWED_HOSTS",
            "CSP_REPORT_ONLY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for browser tests only
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "ALLOWED_HOSTS": "mutuality.example.org",
    "DATABASE_URL": "postgres://mutuality@db.invalid:5432/mutuality",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_demo_mode():
    result = run_manage("check", **PRODUCTION, SECRET_KEY=STRONG_KEY, DEMO_MODE="true")
    assert result.returncode != 0
    assert "DEMO_MODE cannot be on in production" in result.stderr


def test_production_refuses_sqlite():
    env = {**PRODUCTION, "SECRET_KEY": STRONG_KEY, "DATABASE_URL": "sqlite:////tmp/x.db"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_the_deploy_check_reports_no_warnings_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECRET_KEY=STRONG_KEY
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def settings_value(name, **env):
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_enforces_the_content_security_policy():
    env = {**PRODUCTION, "SECRET_KEY": STRONG_KEY}
    assert "'default-src': [\"'self'\"]" in settings_value("CONTENT_SECURITY_POLICY", **env)
    assert settings_value("CONTENT_SECURITY_POLICY_REPORT_ONLY", **env) == "None"


def test_production_refuses_a_report_only_policy():
    result = run_manage("check", **PRODUCTION, SECRET_KEY=STRONG_KEY, CSP_REPORT_ONLY="true")
    assert result.returncode != 0
    assert "CSP_REPORT_ONLY cannot be on in production" in result.stderr


def test_a_developer_may_make_the_policy_report_only_outside_production():
    assert settings_value("CONTENT_SECURITY_POLICY", CSP_REPORT_ONLY="true") == "None"
    report_only = settings_value("CONTENT_SECURITY_POLICY_REPORT_ONLY", CSP_REPORT_ONLY="true")
    assert "'script-src': [\"'self'\"]" in report_only
