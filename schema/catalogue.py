"""The service catalogue: services, their price history, and the secretariat's changes to them."""

from __future__ import annotations

import datetime
from typing import Annotated, cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload, found_or_none
from schema.scalars import Won
from server.models import Service, ServiceCode, ServicePrice
from server.money import catalogue, catalogue_queries
from server.platform.timeutil import in_seoul_or_none

NO_ITEM_FEE = Won(0)


@strawberry.type(name="Service")
class ServiceNode:
    id: int
    code: ServiceCode = strawberry.field(description="The kind of service: how a claim for it is fulfilled.")
    name_ko: str
    name_en: str
    provider: str
    billing_unit: str
    list_price: Won = strawberry.field(description="In effect today; for one item when charged per item.")
    per_item_price: Won = strawberry.field(description="In effect today: each item after the first.")
    max_quantity: int = strawberry.field(
        description="Most items one claim may be for; 1: not charged per item."
    )
    is_active: bool = strawberry.field(description="False once retired: it takes no new claim.")

    @strawberry.field
    def retired_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Service, self).retired_at)


@strawberry.type(name="ServicePrice")
class ServicePriceNode:
    id: int
    effective_on: datetime.date = strawberry.field(description="The first day (Asia/Seoul) of this price.")
    list_price: Won
    per_item_price: Won

    @strawberry.field(description="False while its day has not come.")
    def in_effect(self) -> bool:
        return cast(ServicePrice, self).applied_at is not None


@strawberry.input
class ServiceInput:
    name_ko: str
    name_en: str
    provider: str
    billing_unit: str
    max_quantity: int = strawberry.field(default=1, description="Above 1: the service is charged per item.")


@strawberry.type
class CatalogueQueries:
    @strawberry.field(description="The service catalogue, retired services last.")
    async def services(self, info: Info) -> list[ServiceNode]:
        return cast(list[ServiceNode], await catalogue_queries.list_services(info.context.actor))

    @strawberry.field(description="Null when it does not exist.")
    async def service(self, info: Info, id: int) -> ServiceNode | None:
        return cast(
            ServiceNode | None, await found_or_none(catalogue_queries.get_service(info.context.actor, id))
        )

    @strawberry.field(
        description="Every price the service has had or will have, the latest effective date first."
    )
    async def service_price_history(
        self, info: Info, service_id: int, first: int | None = None, after: str | None = None
    ) -> Connection[ServicePriceNode]:
        page = await catalogue_queries.price_history(info.context.actor, service_id, first=first, after=after)
        return cast(Connection[ServicePriceNode], Connection.of(page, after))


@strawberry.type
class ServicePayload(Payload):
    service: ServiceNode | None = None


@strawberry.type
class ServicePricePayload(Payload):
    service: ServiceNode | None = None
    price: ServicePriceNode | None = None


def _service(service: Service) -> ServicePayload:
    return ServicePayload(service=cast(ServiceNode, service))


def _data(input: ServiceInput) -> catalogue.ServiceInput:
    return catalogue.ServiceInput(
        input.name_ko, input.name_en, input.provider, input.billing_unit, input.max_quantity
    )


@strawberry.type
class CatalogueMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()], description="Secretariat: a new service, priced from today."
    )
    async def create_service(
        self,
        info: Info,
        code: ServiceCode,
        input: ServiceInput,
        list_price: Won,
        per_item_price: Won = NO_ITEM_FEE,
    ) -> ServicePayload:
        return _service(
            await catalogue.create_service(
                actor=info.context.actor,
                code=code,
                data=_data(input),
                list_price=list_price,
                per_item_price=per_item_price,
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Secretariat: rename or redescribe a service."
    )
    async def update_service(self, info: Info, service_id: int, input: ServiceInput) -> ServicePayload:
        return _service(
            await catalogue.update_service(actor=info.context.actor, service_id=service_id, data=_data(input))
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: the service takes no new claim; claims already made complete.",
    )
    async def retire_service(self, info: Info, service_id: int) -> ServicePayload:
        return _service(await catalogue.retire_service(actor=info.context.actor, service_id=service_id))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: a price from a day on (today when left out; never in the past). "
        "Claims copy the price in effect when they are submitted.",
    )
    async def set_service_price(
        self,
        info: Info,
        service_id: int,
        list_price: Won,
        per_item_price: Won = NO_ITEM_FEE,
        effective_on: Annotated[datetime.date | None, strawberry.argument(description="Asia/Seoul.")] = None,
    ) -> ServicePricePayload:
        price = await catalogue.set_service_price(
            actor=info.context.actor,
            service_id=service_id,
            list_price=list_price,
            per_item_price=per_item_price,
            effective_on=effective_on,
        )
        service = await catalogue_queries.get_service(info.context.actor, price.service_id)
        return ServicePricePayload(service=cast(ServiceNode, service), price=cast(ServicePriceNode, price))
