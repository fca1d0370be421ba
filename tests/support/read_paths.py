"""What the read paths' comparison tests share: a row as the screens read it, and an actor of any role."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from server.models import Organization, OrganizationKind, RoleKind, User
from server.platform.actor import Actor


def columns_of(row: Model) -> dict[str, Any]:
    """Every column of the row, by name."""
    return {name: getattr(row, name) for name in sorted(type(row)._meta.db_fields)}


def actor_of(organization_id: int, kind: OrganizationKind, role: RoleKind) -> Actor:
    return Actor(User(id=1, email="x@example.test"), Organization(id=organization_id, kind=kind), role)
