"""Error reports to Sentry when SENTRY_DSN is set: unhandled errors and logged errors of web processes
and workers, without personal data (no cookies, headers, bodies or user; secret links hidden)."""

from __future__ import annotations

from typing import Any

from server.platform.redaction import redact
from server.platform.settings import Settings


def _scrub(event: Any, hint: Any) -> Any:
    request = event.get("request")
    if isinstance(request, dict):
        if isinstance(request.get("url"), str):
            request["url"] = redact(request["url"])
        for key in ("query_string", "cookies", "data", "headers", "env"):
            request.pop(key, None)
    event.pop("user", None)
    return event


def setup_error_reports(settings: Settings, **options: Any) -> bool:
    """True when reports are on. `options` go to sentry_sdk.init (tests pass their own transport)."""
    if not settings.sentry_dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.starlette import StarletteIntegration

    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        # What send_default_pii=False meant, said explicitly (that option is deprecated in sentry-sdk 2.7x):
        # no user, cookies, headers, bodies, query strings, SQL values or local variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        # Only the integrations named here: an automatic one (Strawberry's) would send query variables.
        auto_enabling_integrations=False,
        integrations=[StarletteIntegration(transaction_style="url")],
        before_send=_scrub,
        traces_sample_rate=0.0,
        **options,
    )
    return True
