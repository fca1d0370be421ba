"""The service catalogue, kept by the secretariat: services, their prices over time, retirement.

A price is set with the day it takes effect (Asia/Seoul); the history is kept in `ServicePrice`
and the service row carries the price in effect, rolled forward by `apply_due_prices` when a
future-dated price falls due. Claims copy the price in effect when submitted, so no change here
ever alters a past claim. Locks: the service row, then its price rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from server.models import Service, ServiceCode, ServicePrice
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.policy import require_secretariat
from server.platform.timeutil import in_seoul, now

MAX_PRICE = 100_000_000
MAX_QUANTITY = 100
ESCROW_ITEM_FEE = 50_000  # each technology added to an escrow deposit (the published fees)
ESCROW_ITEMS = 10

# The published fees (PRODUCT.md section 1); the secretariat changes them on the catalogue page.
CATALOGUE = [
    (
        ServiceCode.ESCROW_NEW,
        "기술자료 임치 신규 계약",
        "Technology escrow, new contract",
        "건당 1년",
        300_000,
    ),
    (
        ServiceCode.ESCROW_RENEWAL,
        "기술자료 임치 갱신 계약",
        "Technology escrow, renewal",
        "건당 1년",
        150_000,
    ),
    (ServiceCode.GUARD_SUBSCRIPTION, "온라인 기술지킴서비스", "Online tech guard service", "1년 구독", 0),
]
PROVIDERS = {
    ServiceCode.ESCROW_NEW: "대·중소기업·농어업협력재단",
    ServiceCode.ESCROW_RENEWAL: "대·중소기업·농어업협력재단",
    ServiceCode.GUARD_SUBSCRIPTION: "한국산업기술보호협회",
}


def today() -> date:
    return in_seoul(now()).date()


async def ensure_catalogue() -> None:
    """Every install has the three services; prices already set are left alone."""
    existing = {service.code for service in await Service.all()}
    for code, name_ko, name_en, unit, price in CATALOGUE:
        if code not in existing:
            escrow = code != ServiceCode.GUARD_SUBSCRIPTION
            service = await Service.create(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                provider=PROVIDERS[code],
                billing_unit=unit,
                list_price=price,
                per_item_price=ESCROW_ITEM_FEE if escrow else 0,
                max_quantity=ESCROW_ITEMS if escrow else 1,
            )
            await ServicePrice.create(
                service=service,
                effective_on=today(),
                list_price=price,
                per_item_price=service.per_item_price,
                applied_at=now(),
            )


@dataclass(frozen=True)
class ServiceInput:
    """What the secretariat says about a service; prices are set separately, with their date."""

    name_ko: str
    name_en: str
    provider: str
    billing_unit: str
    max_quantity: int = 1


def _checked(data: ServiceInput) -> ServiceInput:
    errors = ErrorCollector()
    cleaned = ServiceInput(
        data.name_ko.strip(),
        data.name_en.strip(),
        data.provider.strip(),
        data.billing_unit.strip(),
        data.max_quantity,
    )
    for field, value, limit in (
        ("nameKo", cleaned.name_ko, 200),
        ("nameEn", cleaned.name_en, 200),
        ("provider", cleaned.provider, 200),
        ("billingUnit", cleaned.billing_unit, 100),
    ):
        if not value:
            errors.add(ErrorCode.REQUIRED, field, "This field is required.")
        elif len(value) > limit:
            errors.add(ErrorCode.INVALID, field, "This is too long.")
    if not 1 <= cleaned.max_quantity <= MAX_QUANTITY:
        errors.add(ErrorCode.INVALID, "maxQuantity", "Enter a number of items between 1 and 100.")
    errors.raise_if_any()
    return cleaned


def _check_price(list_price: int, per_item_price: int) -> None:
    errors = ErrorCollector()
    if not 0 <= list_price <= MAX_PRICE:
        errors.add(ErrorCode.INVALID, "listPrice", "Enter a price between 0 and 100,000,000 won.")
    if not 0 <= per_item_price <= MAX_PRICE:
        errors.add(ErrorCode.INVALID, "perItemPrice", "Enter a price between 0 and 100,000,000 won.")
    errors.raise_if_any()


def _described(service: Service) -> dict[str, object]:
    return {
        "name_ko": service.name_ko,
        "name_en": service.name_en,
        "provider": service.provider,
        "billing_unit": service.billing_unit,
        "max_quantity": service.max_quantity,
    }


async def create_service(
    *,
    actor: Actor | None,
    code: ServiceCode,
    data: ServiceInput,
    list_price: int,
    per_item_price: int = 0,
) -> Service:
    """A new service, in effect from today at the price given."""
    actor = require_secretariat(actor)
    data = _checked(data)
    _check_price(list_price, per_item_price)
    async with in_transaction():
        service = await Service.create(
            code=code,
            name_ko=data.name_ko,
            name_en=data.name_en,
            provider=data.provider,
            billing_unit=data.billing_unit,
            max_quantity=data.max_quantity,
            list_price=list_price,
            per_item_price=per_item_price,
        )
        await ServicePrice.create(
            service=service,
            effective_on=today(),
            list_price=list_price,
            per_item_price=per_item_price,
            set_by=actor.user,
            applied_at=now(),
        )
        after = {
            "code": code.value,
            **_described(service),
            "list_price": list_price,
            "per_item_price": per_item_price,
        }
        await audit.record("service.create", service, actor=actor, after=after)
    return service


async def _locked(service_id: int) -> Service:
    service = await Service.filter(id=service_id).select_for_update().first()
    if service is None:
        raise not_found("service")
    return service


async def update_service(*, actor: Actor | None, service_id: int, data: ServiceInput) -> Service:
    """Rename a service or change how it is described; claims already made keep their price."""
    actor = require_secretariat(actor)
    data = _checked(data)
    async with in_transaction():
        service = await _locked(service_id)
        before = _described(service)
        service.name_ko, service.name_en = data.name_ko, data.name_en
        service.provider, service.billing_unit = data.provider, data.billing_unit
        service.max_quantity = data.max_quantity
        await service.save()
        await audit.record("service.update", service, actor=actor, before=before, after=_described(service))
    return service


async def retire_service(*, actor: Actor | None, service_id: int) -> Service:
    """A retired service takes no new claim and no new commitment; claims already made complete."""
    actor = require_secretariat(actor)
    async with in_transaction():
        service = await _locked(service_id)
        if not service.is_active:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This service is already retired.")
        service.is_active = False
        service.retired_at = now()
        await service.save(update_fields=["is_active", "retired_at", "updated_at"])
        await audit.record(
            "service.retire", service, actor=actor, before={"active": True}, after={"active": False}
        )
    return service


async def set_service_price(
    *,
    actor: Actor | None,
    service_id: int,
    list_price: int,
    per_item_price: int = 0,
    effective_on: date | None = None,
) -> ServicePrice:
    """A new price from `effective_on` (today when left out); never back-dated, so no claim's price moves."""
    actor = require_secretariat(actor)
    _check_price(list_price, per_item_price)
    starts = effective_on or today()
    if starts < today():
        raise DomainError.single(
            ErrorCode.INVALID, "A price takes effect today or later, never in the past.", "effectiveOn"
        )
    async with in_transaction():
        service = await _locked(service_id)
        if not service.is_active:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This service is retired.")
        price = await ServicePrice.create(
            service=service,
            effective_on=starts,
            list_price=list_price,
            per_item_price=per_item_price,
            set_by=actor.user,
        )
        await audit.record(
            "service.price",
            service,
            actor=actor,
            before={"list_price": service.list_price, "per_item_price": service.per_item_price},
            after={"list_price": list_price, "per_item_price": per_item_price, "effective_on": str(starts)},
        )
    if starts == today():
        await apply_due_prices()
        await price.refresh_from_db()
    return price


async def apply_due_prices() -> int:
    """Copy each price whose day has come onto its service (the latest one per service wins); idempotent."""
    due = await ServicePrice.filter(applied_at=None, effective_on__lte=today()).values_list(
        "service_id", flat=True
    )
    for service_id in sorted(set(due)):
        async with in_transaction():
            service = await Service.filter(id=service_id).select_for_update().get()
            pending = await ServicePrice.filter(
                service_id=service_id, applied_at=None, effective_on__lte=today()
            ).order_by("effective_on", "id")
            if not pending:
                continue  # another process applied them first
            latest = pending[-1]
            service.list_price, service.per_item_price = latest.list_price, latest.per_item_price
            await service.save(update_fields=["list_price", "per_item_price", "updated_at"])
            await ServicePrice.filter(id__in=[p.id for p in pending]).update(applied_at=now())
    return len(set(due))
