"""What the product could not settle by itself about money: the secretariat's "needs attention" list."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.models import Attention, AttentionKind, StripeCall, StripeCallState
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_secretariat
from server.platform.timeutil import now


async def flag(
    kind: AttentionKind,
    *,
    claim_id: int | None,
    payment_id: int | None = None,
    stripe_reference: str = "",
    amount: int = 0,
    detail: str = "",
) -> Attention:
    """Inside the caller's transaction; the same open matter is listed once."""
    same = await Attention.filter(
        kind=kind, payment_id=payment_id, stripe_reference=stripe_reference, amount=amount, resolved_at=None
    ).first()
    if same is not None:
        return same
    return await Attention.create(
        kind=kind,
        claim_id=claim_id,
        payment_id=payment_id,
        stripe_reference=stripe_reference,
        amount=amount,
        detail=detail[:2000],
    )


async def list_attention(
    actor: Actor | None, *, resolved: bool = False, first: int | None = None, after: str | None = None
) -> Page[Attention]:
    require_secretariat(actor)
    query = Attention.filter(resolved_at__isnull=not resolved).select_related(
        "claim", "payment", "resolved_by"
    )
    return await paginate(query, first=first, after=after)


async def pending_calls(
    actor: Actor | None, *, first: int | None = None, after: str | None = None
) -> Page[StripeCall]:
    """Calls to Stripe not finished yet, oldest first: the periodic job retries them after a crash."""
    require_secretariat(actor)
    query = StripeCall.filter(state=StripeCallState.PENDING).select_related("payment")
    return await paginate(query, first=first, after=after, order=("id",))


async def resolve_attention(*, actor: Actor | None, attention_id: int, note: str) -> Attention:
    actor = require_secretariat(actor)
    note = note.strip()
    if not note:
        raise DomainError.single(ErrorCode.REQUIRED, "Say what was done about it.", "note")
    async with in_transaction():
        item = await Attention.filter(id=attention_id).select_for_update().first()
        if item is None:
            raise not_found("attention")
        if item.resolved_at is not None:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This has already been resolved.")
        item.resolved_at = now()
        item.resolved_by = actor.user
        item.note = note[:2000]
        await item.save(update_fields=["resolved_at", "resolved_by_id", "note"])
        await audit.record(
            "attention.resolve",
            item,
            actor=actor,
            before={"kind": item.kind.value, "resolved": False},
            after={"resolved": True, "note": item.note},
        )
    return item
