"""Per-request GraphQL context: who is asking, and DataLoaders made for this request only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField
from tortoise.models import Model

from schema.awaiting import is_awaitable
from schema.language import translate
from server.diagnosis.results import partnership_statuses
from server.membership.declaration import signings_by_organization
from server.membership.organizations import memberships_by_organization
from server.models import (
    BankTransfer,
    ClubMembership,
    Commitment,
    DeclarationSigning,
    Organization,
    PartnershipStatus,
    Seminar,
    Service,
    User,
)
from server.money.claim_queries import ClaimSummary, claim_summaries
from server.money.transfers import transfers_by_claim
from server.platform.actor import Actor
from server.platform.settings import Settings


async def _memberships(organization_ids: list[int]) -> list[ClubMembership | None]:
    by_org = await memberships_by_organization(organization_ids)
    return [by_org.get(i) for i in organization_ids]


async def _bank_transfers(claim_ids: list[int]) -> list[list[BankTransfer]]:
    by_claim = await transfers_by_claim(claim_ids)
    return [by_claim[i] for i in claim_ids]


async def _signings(organization_ids: list[int]) -> list[list[DeclarationSigning]]:
    by_org = await signings_by_organization(organization_ids)
    return [by_org[i] for i in organization_ids]


M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
U = TypeVar("U")


async def _by_id(model: type[M], ids: list[int]) -> list[M | None]:
    by_id = {row.pk: row for row in await model.filter(id__in=ids)}
    return [by_id.get(i) for i in ids]


def _loader(model: type[M]) -> DataLoader[int, M | None]:
    return DataLoader(load_fn=lambda ids: _by_id(model, ids))


def related_many(manager: Any) -> list[Any] | Awaitable[list[Any]]:
    """A many-to-many relation by id: already fetched by prefetch_related (the rows, now, so that a plain
    resolver's rows stay plannable: schema.completion), or one query to await."""
    if manager._fetched:
        return sorted(manager, key=lambda row: row.pk)

    async def fetched() -> list[Any]:
        return sorted(await manager.all(), key=lambda row: row.pk)

    return fetched()


def then(value: T | Awaitable[T], use: Callable[[T], U]) -> U | Awaitable[U]:
    """`use(value)` now when the value is here, else once it has come."""
    if not is_awaitable(value):
        return use(cast(T, value))

    async def later() -> U:
        return use(await cast(Awaitable[T], value))

    return later()


def now_or_later(loader: DataLoader[K, T], key: K) -> T | Awaitable[T]:
    """The value if the request already loaded it, else the loader's future for it.

    Returned, not awaited, from plain resolvers: graphql-core awaits a future it is given, while an async
    resolver costs a coroutine and a task per row even when the row is already here, and a list with one
    awaitable item is gathered item by item.
    """
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return loader.load(key)


def related(source: Model, name: str, model: type[M], loader: DataLoader[int, M | None]) -> Any:
    """A foreign-key target: the row select_related fetched, or what the request's loader has (see above)."""
    fetched = source.__dict__.get(f"_{name}") or source.__dict__.get(name)
    if isinstance(fetched, model):
        return fetched
    return now_or_later(loader, getattr(source, f"{name}_id"))


def _fields(selections: Iterable[SelectedField | FragmentSpread | InlineFragment]) -> Iterable[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def selections_below(
    selections: Iterable[SelectedField | FragmentSpread | InlineFragment],
) -> list[SelectedField]:
    """The fields selected, fragments spread."""
    return list(_fields(selections))


def asks_for(info: StrawberryInfo[Any, Any], name: str) -> bool:
    """Whether the query asks for `name` right under the field being resolved (a connection's totalCount)."""
    return any(f.name == name for field in info.selected_fields for f in _fields(field.selections))


def node_field_selected(info: StrawberryInfo[Any, Any], name: str) -> bool:
    """Whether a connection's query asks for `name` on its nodes (through `nodes` or `edges.node`)."""
    for connection in info.selected_fields:
        for part in _fields(connection.selections):
            below = part.selections
            if part.name == "edges":
                below = [s for e in _fields(part.selections) if e.name == "node" for s in e.selections]
            if part.name in ("nodes", "edges") and any(f.name == name for f in _fields(below)):
                return True
    return False


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


async def _partnership_statuses(keys: list[tuple[int, int]]) -> list[PartnershipStatus | None]:
    """Keys are (conglomerate, SME): one query per conglomerate asked about, in practice one."""
    by_conglomerate: dict[int, list[int]] = {}
    for conglomerate_id, sme_id in keys:
        by_conglomerate.setdefault(conglomerate_id, []).append(sme_id)
    found = {c: await partnership_statuses(c, sme_ids) for c, sme_ids in by_conglomerate.items()}
    return [found[c].get(s) for c, s in keys]


@dataclass
class Loaders:
    membership: DataLoader[int, ClubMembership | None] = field(
        default_factory=lambda: DataLoader(load_fn=_memberships)
    )
    declaration_signings: DataLoader[int, list[DeclarationSigning]] = field(
        default_factory=lambda: DataLoader(load_fn=_signings)
    )
    bank_transfers: DataLoader[int, list[BankTransfer]] = field(
        default_factory=lambda: DataLoader(load_fn=_bank_transfers)
    )
    organization: DataLoader[int, Organization | None] = field(default_factory=lambda: _loader(Organization))
    service: DataLoader[int, Service | None] = field(default_factory=lambda: _loader(Service))
    commitment: DataLoader[int, Commitment | None] = field(default_factory=lambda: _loader(Commitment))
    seminar: DataLoader[int, Seminar | None] = field(default_factory=lambda: _loader(Seminar))
    user: DataLoader[int, User | None] = field(default_factory=lambda: _loader(User))
    claim_summary: DataLoader[tuple[int, int], ClaimSummary] = field(
        default_factory=lambda: DataLoader(load_fn=_claim_summaries)
    )
    # What diagnosis data a coordinator sees of an SME follows from this (policy.diagnosis_view).
    partnership_status: DataLoader[tuple[int, int], PartnershipStatus | None] = field(
        default_factory=lambda: DataLoader(load_fn=_partnership_statuses)
    )


@dataclass
class Context:
    request: Request
    response: Response | None
    settings: Settings
    actor: Actor | None
    loaders: Loaders
    language: str = "ko"  # of messages for people (schema.language)
    read_actor: Callable[[], Awaitable[Actor | None]] | None = None  # for `actor` (schema.acting)

    def translate(self, message: str) -> str:
        return translate(self.language, message)


Info = StrawberryInfo[Context, Any]
