"""Logging set-up, the same in `club serve` (each worker), `club worker` and the other commands.

Readable text by default, one JSON object a line with LOG_FORMAT=json. Every line logged while a
request is served carries its request id (web/telemetry.py sets it), so one request's lines can be
found together and matched with the `X-Request-ID` the client saw.
"""

from __future__ import annotations

import json
import logging
import os
from contextvars import ContextVar
from datetime import UTC, datetime

from server.platform.settings import Settings

request_id: ContextVar[str | None] = ContextVar("club_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` ("-" outside a request) to every record a handler emits."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
            "process": record.process,
        }
        for key in ("method", "route", "status", "duration_ms"):  # the request line's fields
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(settings: Settings | None = None, *, level: int = logging.INFO) -> None:
    log_format = settings.log_format if settings else os.environ.get("LOG_FORMAT", "text").lower()
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own access line would carry the raw path (tokens live in some) and the client's address:
    # web/telemetry.py logs one line per request with the route's template instead.
    logging.getLogger("uvicorn.access").disabled = True
