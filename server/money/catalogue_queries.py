"""Reading the catalogue: services with the price in effect today, a service's price history, a claim's price."""

from __future__ import annotations

from server.models import Service, ServicePrice
from server.money.catalogue import apply_due_prices
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_actor

NEWEST_PRICE_FIRST = ("-effective_on", "-id")


async def list_services(actor: Actor | None, *, active_only: bool = False) -> list[Service]:
    """The whole catalogue (a handful of rows), retired services last; prices due today are applied first."""
    require_actor(actor)
    await apply_due_prices()
    query = Service.filter(is_active=True) if active_only else Service.all()
    return await query.order_by("-is_active", "id")


async def get_service(actor: Actor | None, service_id: int) -> Service:
    require_actor(actor)
    await apply_due_prices()
    service = await Service.filter(id=service_id).first()
    if service is None:
        raise not_found("service")
    return service


async def price_history(
    actor: Actor | None, service_id: int, *, first: int | None = None, after: str | None = None
) -> Page[ServicePrice]:
    """Every price the service has had or will have, the latest effective date first."""
    service = await get_service(actor, service_id)
    return await paginate(
        ServicePrice.filter(service_id=service.id), first=first, after=after, order=NEWEST_PRICE_FIRST
    )


def charged_per_item(service: Service) -> bool:
    return service.max_quantity > 1


def price_of(service: Service, quantity: int) -> int:
    """The list price of `quantity` items: the first at the list price, each added one at the per-item fee."""
    if not 1 <= quantity <= service.max_quantity:
        if charged_per_item(service):
            raise DomainError.single(
                ErrorCode.INVALID,
                "Enter a number of items between 1 and %(most)s.",
                "quantity",
                most=service.max_quantity,
            )
        raise DomainError.single(ErrorCode.INVALID, "This service is claimed one at a time.", "quantity")
    return int(service.list_price + (quantity - 1) * service.per_item_price)
