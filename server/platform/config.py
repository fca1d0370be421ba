"""The one place services read their settings from.

`web/app.py`'s `create_app` and the CLI commands call `configure` once; services call `settings()`
instead of taking `base_url`, `payment_days` or `valid_days` from each door, so a door cannot forget one.

Two applications can live in one process (tests run one with Stripe and one without side by side), so
an application also serves its own settings for the duration of each call into it (`serving`); only
calls outside any application (the CLI, a test calling a service directly) fall back to `configure`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from server.platform.settings import ConfigurationError, Settings

_configured: list[Settings] = []
_serving: ContextVar[Settings | None] = ContextVar("club_settings", default=None)


def configure(value: Settings) -> None:
    _configured[:] = [value]


@contextmanager
def serving(value: Settings) -> Iterator[None]:
    token = _serving.set(value)
    try:
        yield
    finally:
        _serving.reset(token)


def settings() -> Settings:
    value = _serving.get() or (_configured[0] if _configured else None)
    if value is None:
        raise ConfigurationError(
            "settings are not configured: call server.platform.config.configure(load_settings()) first"
        )
    return value
