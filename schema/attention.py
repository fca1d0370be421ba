"""The secretariat's "needs attention" list about money, and the calls to Stripe still pending."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.claims import ClaimNode
from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.scalars import Won
from server.models import Attention, AttentionKind, StripeCall, StripeCallKind
from server.money import attention
from server.platform.timeutil import in_seoul, in_seoul_or_none

strawberry.enum(AttentionKind, description="Why a person has to look at it.")
strawberry.enum(StripeCallKind)


@strawberry.type(name="AttentionItem")
class AttentionNode:
    id: int
    kind: AttentionKind
    amount: Won = strawberry.field(
        description="The money concerned (a partial refund: what Stripe gave back)."
    )
    stripe_reference: str
    detail: str
    note: str = strawberry.field(description="What the secretariat did about it.")

    @strawberry.field
    def claim(self) -> ClaimNode | None:
        return cast(ClaimNode | None, cast(Attention, self).claim)

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(Attention, self).created_at)

    @strawberry.field
    def resolved_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Attention, self).resolved_at)


@strawberry.type(name="PendingStripeCall")
class PendingStripeCallNode:
    id: int
    kind: StripeCallKind
    idempotency_key: str
    attempts: int

    @strawberry.field
    def claim_id(self) -> int:
        return cast(StripeCall, self).payment.claim_id

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(StripeCall, self).created_at)


@strawberry.type
class AttentionQueries:
    @strawberry.field(description="Secretariat: money matters the product could not settle by itself.")
    async def needs_attention(
        self, info: Info, resolved: bool = False, first: int | None = None, after: str | None = None
    ) -> Connection[AttentionNode]:
        page = await attention.list_attention(info.context.actor, resolved=resolved, first=first, after=after)
        return cast(Connection[AttentionNode], Connection.of(page, after))

    @strawberry.field(
        description="Secretariat: card payments and refunds still waiting for Stripe's answer, oldest first; "
        "one cut off by a crash is finished by a background job."
    )
    async def pending_stripe_calls(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PendingStripeCallNode]:
        page = await attention.pending_calls(info.context.actor, first=first, after=after)
        return cast(Connection[PendingStripeCallNode], Connection.of(page, after))


@strawberry.type
class AttentionPayload(Payload):
    attention: AttentionNode | None = None


@strawberry.type
class AttentionMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()], description="Secretariat: close an item, saying what was done."
    )
    async def resolve_attention(self, info: Info, attention_id: int, note: str) -> AttentionPayload:
        item = await attention.resolve_attention(
            actor=info.context.actor, attention_id=attention_id, note=note
        )
        return AttentionPayload(attention=cast(AttentionNode, item))
