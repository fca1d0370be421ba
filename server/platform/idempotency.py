"""Repeated submissions of a money-moving request act once and answer with the first result.

Each such form carries a one-time token made when it was rendered; a GraphQL client sends an
`idempotencyKey`. The command takes the key first thing in its own transaction: the key row is
written with the request's effect or not at all. A second request under the same key (a double
click, a client's retry) finds the row and gets the first request's result; on PostgreSQL a repeat
that arrives while the first is still running waits for it on the unique index, then finds its row.
The same key with different details is refused: it is a client's mistake, not a repeat.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from tortoise.connection import connections

from server.models import IdempotencyKey
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.timeutil import now

MAX_KEY = 100
_INSERT_SQLITE = (
    'INSERT INTO "idempotency_key" ("user_id", "key", "operation", "digest", "result_id", "created_at") '
    'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ("user_id", "key") DO NOTHING'
)
# Tortoise's asyncpg client reads an INSERT's row count from the wrong word of "INSERT 0 1": the
# rows a SELECT returns say whether the key was written.
_INSERT_POSTGRES = (
    'WITH taken AS (INSERT INTO "idempotency_key" '
    '("user_id", "key", "operation", "digest", "result_id", "created_at") '
    'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ("user_id", "key") DO NOTHING RETURNING 1) '
    "SELECT 1 FROM taken"
)


@dataclass(frozen=True)
class Ticket:
    """A key taken for one request; `first_result` is set when the request was already made."""

    user_id: int
    key: str | None
    first_result: int | None = None

    @property
    def repeated(self) -> bool:
        return self.first_result is not None

    async def done(self, result_id: int) -> None:
        """Record what the request acted on, when that was not known before it ran."""
        if self.key is not None:
            await IdempotencyKey.filter(user_id=self.user_id, key=self.key).update(result_id=result_id)


def _digest(operation: str, request: dict[str, object]) -> str:
    text = json.dumps({"operation": operation, **request}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def _insert(user_id: int, key: str, operation: str, digest: str, result_id: int | None) -> bool:
    """Write the key unless it exists; True when this request wrote it.

    ON CONFLICT DO NOTHING, not a caught unique violation: a failed statement would abort a
    PostgreSQL transaction, and Tortoise has no savepoints to go back to.
    """
    connection = connections.get("default")  # inside a transaction: that transaction's connection
    values = [user_id, key, operation, digest, result_id, now()]
    if connection.capabilities.dialect == "postgres":
        _, rows = await connection.execute_query(_INSERT_POSTGRES, values)
        return len(rows) == 1
    inserted: int
    inserted, _ = await connection.execute_query(_INSERT_SQLITE, values)
    return inserted == 1


async def take(
    actor: Actor, key: str | None, operation: str, *, result_id: int | None = None, **request: object
) -> Ticket:
    """Take the key for this request; call it first in the transaction that makes the change.

    `request` names what the request asks for (its digest tells a repeat from a reused key);
    `result_id` is what it acts on, when known before it runs. Without a key, nothing is recorded.
    """
    if key is None:
        return Ticket(actor.user.id, None)
    digest = _checked(key, operation, result_id, request)
    if await _insert(actor.user.id, key, operation, digest, result_id):
        return Ticket(actor.user.id, key)
    return Ticket(actor.user.id, key, await _first_result(actor, key, operation, digest))


async def made(
    actor: Actor, key: str | None, operation: str, *, result_id: int | None = None, **request: object
) -> bool:
    """Whether this request was already made: for commands that call out (to Stripe) before their
    transaction, so that a repeat does not call again. The transaction still takes the key."""
    if key is None:
        return False
    digest = _checked(key, operation, result_id, request)
    if not await IdempotencyKey.exists(user_id=actor.user.id, key=key):
        return False
    await _first_result(actor, key, operation, digest)
    return True


def _checked(key: str, operation: str, result_id: int | None, request: dict[str, object]) -> str:
    if not 0 < len(key) <= MAX_KEY:
        raise DomainError.single(
            ErrorCode.INVALID, "The idempotency key must be 1 to 100 characters.", "idempotencyKey"
        )
    return _digest(operation, {**request, "result": result_id})


async def _first_result(actor: Actor, key: str, operation: str, digest: str) -> int:
    first = await IdempotencyKey.get(user_id=actor.user.id, key=key)
    if first.operation != operation or first.digest != digest or first.result_id is None:
        raise DomainError.single(
            ErrorCode.KEY_REUSED,
            "This form was already sent with other details. Reload the page and try again.",
        )
    return first.result_id
