"""The service catalogue, kept by the secretariat. Claims copy a price when submitted."""

from __future__ import annotations

from typing import cast

from tortoise.transactions import in_transaction

from server.models import Service, ServiceCode
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.policy import require_actor, require_secretariat

MAX_PRICE = 100_000_000

# The published fees (PRODUCT.md section 1); the secretariat changes them on the catalogue page.
CATALOGUE = [
    (
        ServiceCode.ESCROW_NEW,
        "기술자료 임치 신규 계약",
        "Technology escrow, new contract",
        "대·중소기업·농어업협력재단",
        "건당 1년",
        300_000,
    ),
    (
        ServiceCode.ESCROW_RENEWAL,
        "기술자료 임치 갱신 계약",
        "Technology escrow, renewal",
        "대·중소기업·농어업협력재단",
        "건당 1년",
        150_000,
    ),
    (
        ServiceCode.GUARD_SUBSCRIPTION,
        "온라인 기술지킴서비스",
        "Online tech guard service",
        "한국산업기술보호협회",
        "1년 구독",
        0,
    ),
]


async def ensure_catalogue() -> None:
    """Every install has the three services; prices already set are left alone."""
    # Tortoise's stubs type a flat values_list as tuples.
    existing = cast("set[ServiceCode]", set(await Service.all().values_list("code", flat=True)))
    for code, name_ko, name_en, provider, unit, price in CATALOGUE:
        if code not in existing:
            await Service.create(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                provider=provider,
                billing_unit=unit,
                list_price=price,
            )


async def list_services(actor: Actor | None) -> list[Service]:
    require_actor(actor)
    return await Service.all().order_by("id")


async def update_service_price(*, actor: Actor | None, service_id: int, list_price: int) -> Service:
    """A new list price, for claims submitted from now on."""
    actor = require_secretariat(actor)
    if not 0 <= list_price <= MAX_PRICE:
        raise DomainError.single(
            ErrorCode.INVALID, "Enter a price between 0 and 100,000,000 won.", "listPrice"
        )
    async with in_transaction():
        service = await Service.filter(id=service_id).select_for_update().first()
        if service is None:
            raise not_found("service")
        before = service.list_price
        service.list_price = list_price
        await service.save(update_fields=["list_price", "updated_at"])
        await audit.record(
            "service.price",
            service,
            actor=actor,
            before={"list_price": before},
            after={"list_price": list_price},
        )
    return service
