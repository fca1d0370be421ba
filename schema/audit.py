"""The audit trail through GraphQL: `auditLog`, in the same words as the pages (server.platform.audit_words)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from server.platform import audit_trail
from server.platform.audit_trail import AuditFilter


@strawberry.type(name="AuditChange", description="One field of the record: before → after, in words.")
class AuditChangeNode:
    field: str
    before: str = strawberry.field(description="Empty when the field was only set.")
    after: str


@strawberry.type(name="AuditEntry", description="Who did what, when (Asia/Seoul), in the asker's language.")
class AuditEntryNode:
    id: int
    at: datetime.datetime
    who: str = strawberry.field(description="The person's name as it is now, or that they were removed.")
    role: str = strawberry.field(description="Their role when they acted.")
    organization: str = strawberry.field(description="The organisation they acted for.")
    what: str
    record_kind: str
    record_id: str
    changes: list[AuditChangeNode]


@strawberry.type
class AuditEntryConnection(Connection[AuditEntryNode]):
    pass


@strawberry.input
class AuditLogFilter:
    who: str = strawberry.field(default="", description="Part of the actor's name or e-mail.")
    kind: str = strawberry.field(default="", description="A record type, such as Claim or Partnership.")
    since: datetime.date | None = strawberry.field(default=None, description="From this Seoul day.")
    until: datetime.date | None = strawberry.field(default=None, description="To this Seoul day, included.")


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The audit trail, newest first: the secretariat's is club-wide; others see their "
        "organisation's own (what its people did, and what was done to it)."
    )
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AuditEntryConnection:
        given = filter or AuditLogFilter()
        chosen = AuditFilter(who=given.who, kind=given.kind, since=given.since, until=given.until)
        page = await audit_trail.audit_log(info.context.actor, chosen, first=first, after=after)
        entries: list[Any] = await audit_trail.readable(page.items, info.context.translate)
        return cast(
            AuditEntryConnection, AuditEntryConnection.of(dataclasses.replace(page, items=entries), after)
        )
