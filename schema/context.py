"""Per-request GraphQL context: who is asking, and DataLoaders made for this request only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from server.actor import Actor
from server.models import ClubMembership, Organization
from server.organizations import memberships_by_organization
from server.settings import Settings


async def _memberships(organization_ids: list[int]) -> list[ClubMembership | None]:
    by_org = await memberships_by_organization(organization_ids)
    return [by_org.get(i) for i in organization_ids]


async def _organizations(ids: list[int]) -> list[Organization | None]:
    by_id = {row.id: row for row in await Organization.filter(id__in=ids)}
    return [by_id.get(i) for i in ids]


@dataclass
class Loaders:
    membership: DataLoader[int, ClubMembership | None] = field(
        default_factory=lambda: DataLoader(load_fn=_memberships)
    )
    organization: DataLoader[int, Organization | None] = field(
        default_factory=lambda: DataLoader(load_fn=_organizations)
    )


@dataclass
class Context:
    request: Request
    response: Response | None
    settings: Settings
    actor: Actor | None
    loaders: Loaders


Info = StrawberryInfo[Context, Any]
