"""The audit trail: services call `record` inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from server.models import AuditEntry, User
from server.platform.actor import Actor


def entry(
    action: str,
    target: Model,
    *,
    actor: Actor | None = None,
    user: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry: who did `action` to `target`. `user` is for acts done before anyone acts for an organisation."""
    return AuditEntry(
        actor=actor.user if actor else user,
        organization=actor.organization if actor else None,
        role=actor.role.value if actor else None,
        action=action,
        record_type=type(target).__name__,
        record_id=str(target.pk),
        before=before,
        after=after,
    )


async def record(
    action: str,
    target: Model,
    *,
    actor: Actor | None = None,
    user: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write the entry now, inside the caller's transaction."""
    await entry(action, target, actor=actor, user=user, before=before, after=after).save()
