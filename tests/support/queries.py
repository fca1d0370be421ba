"""Counting the SQL statements a request runs, from Tortoise's own query log."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Tortoise logs each statement as "%s: %s" (query, values).
        if record.msg == "%s: %s" and record.args:
            self.statements.append(str(record.args[0]))

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()

    @classmethod
    @contextlib.contextmanager
    def installed(cls) -> Iterator[QueryCounter]:
        counter = cls()
        logger = logging.getLogger("tortoise.db_client")
        previous = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(counter)
        try:
            yield counter
        finally:
            logger.removeHandler(counter)
            logger.setLevel(previous)
