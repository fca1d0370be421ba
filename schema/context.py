"""Per-request GraphQL context: who is asking, and DataLoaders made for this request only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo
from tortoise.models import Model

from server.actor import Actor
from server.claims import ClaimSummary, claim_summaries
from server.models import ClubMembership, Commitment, Organization, Seminar, Service, User
from server.organizations import memberships_by_organization
from server.settings import Settings


async def _memberships(organization_ids: list[int]) -> list[ClubMembership | None]:
    by_org = await memberships_by_organization(organization_ids)
    return [by_org.get(i) for i in organization_ids]


M = TypeVar("M", bound=Model)


async def _by_id(model: type[M], ids: list[int]) -> list[M | None]:
    by_id = {row.pk: row for row in await model.filter(id__in=ids)}
    return [by_id.get(i) for i in ids]


def _loader(model: type[M]) -> DataLoader[int, M | None]:
    return DataLoader(load_fn=lambda ids: _by_id(model, ids))


async def related_many(manager: Any) -> list[Any]:
    """A many-to-many relation by id: already fetched by prefetch_related, or one query now."""
    rows = list(manager) if manager._fetched else await manager.all()
    return sorted(rows, key=lambda row: row.pk)


async def related(source: Model, name: str, model: type[M], loader: DataLoader[int, M | None]) -> M:
    """A foreign-key target: already fetched by select_related, or batched through the request's loader."""
    fetched = source.__dict__.get(f"_{name}") or source.__dict__.get(name)
    if isinstance(fetched, model):
        return fetched
    loaded = await loader.load(getattr(source, f"{name}_id"))
    assert loaded is not None
    return loaded


async def _claim_summaries(keys: list[tuple[int, int]]) -> list[ClaimSummary]:
    """Keys are (conglomerate, SME): one query per conglomerate on the page, in practice one."""
    by_conglomerate: dict[int, list[int]] = {}
    for conglomerate_id, sme_id in keys:
        by_conglomerate.setdefault(conglomerate_id, []).append(sme_id)
    found = {
        conglomerate_id: await claim_summaries(conglomerate_id, sme_ids)
        for conglomerate_id, sme_ids in by_conglomerate.items()
    }
    return [found[c].get(s, ClaimSummary()) for c, s in keys]


@dataclass
class Loaders:
    membership: DataLoader[int, ClubMembership | None] = field(
        default_factory=lambda: DataLoader(load_fn=_memberships)
    )
    organization: DataLoader[int, Organization | None] = field(default_factory=lambda: _loader(Organization))
    service: DataLoader[int, Service | None] = field(default_factory=lambda: _loader(Service))
    commitment: DataLoader[int, Commitment | None] = field(default_factory=lambda: _loader(Commitment))
    seminar: DataLoader[int, Seminar | None] = field(default_factory=lambda: _loader(Seminar))
    user: DataLoader[int, User | None] = field(default_factory=lambda: _loader(User))
    claim_summary: DataLoader[tuple[int, int], ClaimSummary] = field(
        default_factory=lambda: DataLoader(load_fn=_claim_summaries)
    )


@dataclass
class Context:
    request: Request
    response: Response | None
    settings: Settings
    actor: Actor | None
    loaders: Loaders


Info = StrawberryInfo[Context, Any]
