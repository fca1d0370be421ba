"""Development needs no configuration; production refuses to start without real secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.platform import settings as settings_module
from server.platform.settings import ConfigurationError, load_settings


def test_development_generates_and_keeps_a_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_module, "VAR_DIR", tmp_path)
    first = load_settings({})
    second = load_settings({})
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first.database_url.startswith("sqlite://")


@pytest.mark.parametrize(
    "env",
    [
        {"CLUB_ENV": "production", "DATABASE_URL": "postgres://db/club"},
        {"CLUB_ENV": "production", "DATABASE_URL": "postgres://db/club", "SECRET_KEY": "short"},
        {"CLUB_ENV": "production", "SECRET_KEY": "x" * 40},
    ],
    ids=["no secret", "weak secret", "no database"],
)
def test_production_refuses_to_start_without_real_secrets(env: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError):
        load_settings(env)


def test_production_with_real_settings_starts_with_secure_cookies() -> None:
    settings = load_settings(
        {"CLUB_ENV": "production", "DATABASE_URL": "postgres://db/club", "SECRET_KEY": "x" * 40}
    )
    assert settings.production


def test_half_configured_integrations_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="OIDC_CLIENT_ID"):
        load_settings({"SECRET_KEY": "x" * 40, "OIDC_ISSUER": "https://sso.example"})
    with pytest.raises(ConfigurationError, match="STRIPE_WEBHOOK_SECRET"):
        load_settings({"SECRET_KEY": "x" * 40, "STRIPE_SECRET_KEY": "sk_test"})


def test_links_follow_the_port_served_when_no_base_url_is_set() -> None:
    key = {"SECRET_KEY": "x" * 40}
    assert load_settings(key).base_url == "http://127.0.0.1:8000"
    assert load_settings({**key, "PORT": "8080"}).base_url == "http://127.0.0.1:8080"
    assert load_settings({**key, "PORT": "8080"}, port=9000).base_url == "http://127.0.0.1:9000"
    assert load_settings(key, host="0.0.0.0", port=8080).base_url == "http://127.0.0.1:8080"  # noqa: S104
    assert load_settings(key, host="10.0.0.5", port=8080).base_url == "http://10.0.0.5:8080"
    configured = {**key, "BASE_URL": "https://club.example/", "PORT": "8080"}
    assert load_settings(configured, port=9000).base_url == "https://club.example"


def test_web_processes_can_leave_jobs_and_mail_to_a_worker() -> None:
    assert load_settings({}).run_jobs is True  # one process does everything unless told
    assert load_settings({"RUN_JOBS": "false"}).run_jobs is False
    with pytest.raises(ConfigurationError):
        load_settings({"RUN_JOBS": "sometimes"})


def test_logs_are_text_unless_json_is_asked_for() -> None:
    assert load_settings({}).log_format == "text"
    assert load_settings({"LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigurationError):
        load_settings({"LOG_FORMAT": "xml"})


def test_the_database_password_never_reaches_the_startup_line() -> None:
    from web.cli import without_password

    assert without_password("postgres://club:s3cret@db:5432/club") == "postgres://club:***@db:5432/club"
    assert without_password("sqlite://var/club.sqlite3") == "sqlite://var/club.sqlite3"
