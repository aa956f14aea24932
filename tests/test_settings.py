"""Settings: safe defaults, loud errors naming the variable, a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-length-1234567890",
    "ALLOWED_HOSTS": "zelfsturing.example.org",
}


def run_manage(*args, env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "zelfsturing.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY: required when DEBUG is off"),
        ({**PRODUCTION, "SECRET_KEY": "short"}, "SECRET_KEY: use at least 50"),
        ({**PRODUCTION, "DEBUG": "maybe"}, "DEBUG: expected a yes/no value"),
        ({**PRODUCTION, "EMAIL_PORT": "smtp"}, "EMAIL_PORT: expected a whole number"),
        ({**PRODUCTION, "DATABASE_URL": "mysql://x@localhost/db"}, "DATABASE_URL"),
        ({**PRODUCTION, "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({**PRODUCTION, "CELERY_BROKER_URL": "amqp://localhost"}, "CELERY_BROKER_URL"),
        ({**PRODUCTION, "CACHE_URL": "memcached://localhost"}, "CACHE_URL"),
        ({**PRODUCTION, "DASHBOARD_CACHE_SECONDS": "-1"}, "DASHBOARD_CACHE_SECONDS"),
        (
            {**PRODUCTION, "SESSION_IDLE_TIMEOUT_MINUTES": "1"},
            "SESSION_IDLE_TIMEOUT_MINUTES: must be at least 5",
        ),
        (
            {**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": "/nonexistent/secret"},
            "SECRET_KEY_FILE",
        ),
        ({**PRODUCTION, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL: expected one of"),
        # Below 3 one respondent learns the others' scores (docs/decisions/0013).
        ({**PRODUCTION, "ZS_SCAN_MIN_ANSWERS": "2"}, "ZS_SCAN_MIN_ANSWERS: must be at least 3"),
        ({**PRODUCTION, "ZS_CARRY_SHARE": "0"}, "ZS_CARRY_SHARE: must be at least 1"),
        ({**PRODUCTION, "ZS_CARRY_SHARE": "101"}, "ZS_CARRY_SHARE: a percentage up to 100"),
    ],
)
def test_bad_configuration_fails_at_start_with_the_variable_named(overrides, message):
    result = run_manage("check", env_overrides=overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("f" * 64 + "\n")
    result = run_manage(
        "check", env_overrides={**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    )
    assert result.returncode == 0, result.stderr


def test_local_default_needs_no_configuration():
    """No environment: SQLite, Celery eager, e-mail to the console."""
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = run_manage("shell", "-c", code, env_overrides={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_urls_select_postgresql_and_redis():
    code = (
        "from django.conf import settings as s;"
        "db = s.DATABASES['default'];"
        "print(db['ENGINE'], db['NAME'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CACHES['dashboards']['BACKEND'])"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={
            **PRODUCTION,
            "HTTPS": "0",
            "DATABASE_URL": "postgres://u@db.example.org:5432/zs",
            "CELERY_BROKER_URL": "redis://cache.example.org:6379/0",
            "CACHE_URL": "redis://cache.example.org:6379/1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "zs",
        "False",
        "common.cache.FailOpenRedisCache",  # skipped when down (#15)
    ]


def test_the_release_defaults_to_the_version_and_comes_from_the_environment():
    """ZS_RELEASE is part of every dashboard cache key (dashboards.cache.release)."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    code = "from django.conf import settings as s; print(s.ZS_RELEASE)"
    result = run_manage("shell", "-c", code, env_overrides={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == version  # not installed as a package here
    result = run_manage("shell", "-c", code, env_overrides={"DEBUG": "1", "ZS_RELEASE": "2026.12"})
    assert result.stdout.splitlines()[-1] == "2026.12"


def test_the_csp_lets_forms_post_to_the_sign_in_provider_only():
    from zelfsturing.csp_settings import content_security_policy

    directives = content_security_policy(form_origins=["https://login.example.org"])["DIRECTIVES"]
    assert directives["form-action"] == ["'self'", "https://login.example.org"]
    assert content_security_policy(form_origins=[])["DIRECTIVES"]["form-action"] == ["'self'"]
