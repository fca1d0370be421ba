"""The secretariat keeps the catalogue: services added, renamed, retired; prices set from a day on, with
their history; escrow charged per technology deposited, the claim's split following its price."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from server.models import AuditEntry, Claim, ClaimStatus, RoleKind, Service, ServiceCode, ServicePrice
from server.money import catalogue, claim_fulfilment
from server.money.catalogue_queries import price_of
from server.money.claims import approve_claim, submit_claim
from server.platform.errors import DomainError, ErrorCode
from tests.support.costs import (
    ESCROW_MATERIAL,
    acting,
    claim,
    commitment,
    original_contract,
    pay_by_transfer,
    service,
    sme_partner,
    today,
)
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.world import World

ERRORS = "errors { field code }"
SERVICE = "service { id code nameKo nameEn listPrice perItemPrice maxQuantity isActive }"
CREATE = f"""
mutation($input: ServiceInput!, $price: Won!, $fee: Won!) {{
  createService(code: ESCROW_NEW, input: $input, listPrice: $price, perItemPrice: $fee) {{ {SERVICE} {ERRORS} }}
}}"""
UPDATE = f"""
mutation($id: Int!, $input: ServiceInput!) {{ updateService(serviceId: $id, input: $input) {{ {SERVICE} {ERRORS} }} }}"""
RETIRE = f"mutation($id: Int!) {{ retireService(serviceId: $id) {{ {SERVICE} {ERRORS} }} }}"
PRICE = f"""
mutation($id: Int!, $price: Won!, $fee: Won!, $on: Date) {{
  setServicePrice(serviceId: $id, listPrice: $price, perItemPrice: $fee, effectiveOn: $on) {{
    {SERVICE} price {{ effectiveOn listPrice perItemPrice inEffect }} {ERRORS}
  }}
}}"""
HISTORY = """
query($id: Int!, $after: String) {
  servicePriceHistory(serviceId: $id, first: 1, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { effectiveOn listPrice inEffect }
  }
}"""
SUBMIT = """
mutation($commitment: Int!, $service: Int!, $quantity: Int!) {
  submitClaim(commitmentId: $commitment, serviceId: $service, details: "소스코드", quantity: $quantity) {
    claim { id quantity listPrice } errors { field code }
  }
}"""
REGIONAL = {
    "nameKo": "지역 임치 지원 프로그램",
    "nameEn": "Regional escrow programme",
    "provider": "대·중소기업·농어업협력재단",
    "billingUnit": "건당 1년",
    "maxQuantity": 3,
}


async def test_the_secretariat_adds_renames_and_retires_a_service_and_no_one_else_may(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = (await gql(client, CREATE, {"input": REGIONAL, "price": 300_000, "fee": 50_000}))[
        "createService"
    ]
    assert refused == {"service": None, "errors": [{"field": None, "code": "FORBIDDEN"}]}

    await sign_in(client, world.admin.email, world.admin.password)
    blank = await gql(client, CREATE, {"input": {**REGIONAL, "nameKo": " "}, "price": 1, "fee": 0})
    assert blank["createService"]["errors"] == [{"field": "nameKo", "code": "REQUIRED"}]
    created = (await gql(client, CREATE, {"input": REGIONAL, "price": 300_000, "fee": 50_000}))[
        "createService"
    ]
    assert created["errors"] == []
    service_id = created["service"]["id"]
    assert created["service"] | {"id": 0} == {
        "id": 0,
        "code": "ESCROW_NEW",
        "nameKo": "지역 임치 지원 프로그램",
        "nameEn": "Regional escrow programme",
        "listPrice": 300_000,
        "perItemPrice": 50_000,
        "maxQuantity": 3,
        "isActive": True,
    }
    renamed = {**REGIONAL, "nameKo": "지역 기술임치 지원", "nameEn": "Regional tech escrow"}
    updated = (await gql(client, UPDATE, {"id": service_id, "input": renamed}))["updateService"]
    assert (updated["service"]["nameKo"], updated["service"]["nameEn"]) == (
        "지역 기술임치 지원",
        "Regional tech escrow",
    )
    retired = (await gql(client, RETIRE, {"id": service_id}))["retireService"]
    assert retired["service"]["isActive"] is False
    again = (await gql(client, RETIRE, {"id": service_id}))["retireService"]
    assert again["errors"] == [{"field": None, "code": "INVALID_STATE"}]

    actions = await AuditEntry.filter(record_type="Service", record_id=str(service_id)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["service.create", "service.retire", "service.update"]
    listed = await gql(client, "{ services { nameKo isActive } }")
    assert listed["services"][-1] == {"nameKo": "지역 기술임치 지원", "isActive": False}  # retired ones last


async def test_a_retired_service_takes_no_new_claim_but_claims_already_made_complete(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    approved = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=coordinator, claim_id=approved.id)
    waiting = await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    renewal = await service(ServiceCode.ESCROW_RENEWAL)
    escrow = await service(ServiceCode.ESCROW_NEW)

    await catalogue.retire_service(actor=secretariat, service_id=escrow.id)
    await catalogue.retire_service(actor=secretariat, service_id=renewal.id)

    with pytest.raises(DomainError) as refused:
        await claim(world.hanbit_rep, pledge)
    assert [(e.code, e.field) for e in refused.value.errors] == [(ErrorCode.INVALID, "serviceId")]
    assert refused.value.errors[0].message == "This service has been retired and takes no new claims."
    # The approved claim is paid and fulfilled as usual; the one awaiting a decision can still be approved.
    await pay_by_transfer(secretariat, approved.id)
    fulfilled = await claim_fulfilment.fulfill_claim(
        actor=secretariat,
        claim_id=approved.id,
        fulfilment=claim_fulfilment.Fulfilment("KEC-2026-0077", today() + timedelta(days=365)),
    )
    assert fulfilled.status == ClaimStatus.FULFILLED
    assert (await approve_claim(actor=coordinator, claim_id=waiting.id)).status == ClaimStatus.APPROVED


async def test_a_future_price_takes_effect_on_its_day_and_claims_keep_the_price_they_were_submitted_at(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=5_000_000)
    escrow = await service(ServiceCode.ESCROW_NEW)
    tomorrow = today() + timedelta(days=1)
    await sign_in(client, world.admin.email, world.admin.password)

    set_ = await gql(client, PRICE, {"id": escrow.id, "price": 330_000, "fee": 55_000, "on": str(tomorrow)})
    payload = set_["setServicePrice"]
    assert payload["errors"] == []
    assert payload["price"] == {
        "effectiveOn": str(tomorrow),
        "listPrice": 330_000,
        "perItemPrice": 55_000,
        "inEffect": False,
    }
    assert (payload["service"]["listPrice"], payload["service"]["perItemPrice"]) == (300_000, 50_000)
    before = await claim(world.hanbit_rep, pledge)
    assert before.list_price == 300_000

    # Its day comes (the calendar moves instead of the clock): the next claim is priced at it.
    await ServicePrice.filter(service_id=escrow.id, effective_on=tomorrow).update(effective_on=today())
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    after = await claim(sejin, pledge, quantity=2)
    assert after.list_price == 330_000 + 55_000
    assert (await Claim.get(id=before.id)).list_price == 300_000
    assert (await Service.get(id=escrow.id)).list_price == 330_000

    first = (await gql(client, HISTORY, {"id": escrow.id}))["servicePriceHistory"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    assert first["nodes"] == [{"effectiveOn": str(today()), "listPrice": 330_000, "inEffect": True}]
    rest = await gql(client, HISTORY, {"id": escrow.id, "after": first["pageInfo"]["endCursor"]})
    assert [n["listPrice"] for n in rest["servicePriceHistory"]["nodes"]] == [300_000]


async def test_a_price_is_never_back_dated_nor_negative(client: httpx.AsyncClient, world: World) -> None:
    escrow = await service(ServiceCode.ESCROW_NEW)
    await sign_in(client, world.admin.email, world.admin.password)
    yesterday = str(today() - timedelta(days=1))
    past = (await gql(client, PRICE, {"id": escrow.id, "price": 1, "fee": 0, "on": yesterday}))[
        "setServicePrice"
    ]
    assert past["errors"] == [{"field": "effectiveOn", "code": "INVALID"}]
    negative = (await gql(client, PRICE, {"id": escrow.id, "price": 1, "fee": -1, "on": None}))[
        "setServicePrice"
    ]
    assert negative["errors"] == [{"field": "perItemPrice", "code": "INVALID"}]
    assert await ServicePrice.filter(service_id=escrow.id).count() == 1


async def test_a_claim_for_three_technologies_is_priced_base_plus_two_fees_and_split_accordingly(
    client: httpx.AsyncClient, world: World
) -> None:
    # The published fees: 300,000 won a new deposit, 50,000 won each added technology.
    pledge = await commitment(
        world.samsung_coordinator, budget=5_000_000, share_percent=70, cap_per_claim=300_000
    )
    escrow = await service(ServiceCode.ESCROW_NEW)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    submitted = await gql(client, SUBMIT, {"commitment": pledge.id, "service": escrow.id, "quantity": 3})
    made = submitted["submitClaim"]["claim"]
    assert (made["quantity"], made["listPrice"]) == (3, 300_000 + 2 * 50_000)

    approved = await approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=made["id"]
    )
    # 70 % of 400,000 is 280,000, under the 300,000 cap; the SME pays the rest.
    assert (approved.sponsor_share, approved.sme_share) == (280_000, 120_000)


async def test_the_number_of_items_is_bounded_by_the_service(client: httpx.AsyncClient, world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    escrow = await service(ServiceCode.ESCROW_NEW)
    guard = await service(ServiceCode.GUARD_SUBSCRIPTION)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    for service_id, quantity in ((escrow.id, 0), (escrow.id, escrow.max_quantity + 1), (guard.id, 2)):
        refused = await gql(
            client, SUBMIT, {"commitment": pledge.id, "service": service_id, "quantity": quantity}
        )
        assert refused["submitClaim"]["errors"] == [{"field": "quantity", "code": "INVALID"}], quantity
    assert not await Claim.exists()
    assert price_of(escrow, escrow.max_quantity) == 300_000 + (escrow.max_quantity - 1) * 50_000


async def test_the_secretariat_keeps_the_catalogue_on_its_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.admin.email, world.admin.password)
    created = await submit(
        client,
        "/services",
        "/services",
        {
            "code": "guard_subscription",
            "name_ko": "기술유출 모의훈련",
            "name_en": "Leak drill",
            "provider": "한국산업기술보호협회",
            "billing_unit": "1회",
            "max_quantity": "1",
            "list_price": "200,000",
        },
    )
    assert created.status_code == 303
    url = created.headers["location"].split("?")[0]
    next_month = str(today() + timedelta(days=30))
    priced = await submit(client, url, f"{url}/price", {"list_price": "250,000", "effective_on": next_month})
    assert priced.status_code == 303
    page = await client.get(url)
    assert "가격 변경 이력" in page.text and "250,000원" in page.text and "적용 예정" in page.text
    assert "200,000원" in page.text  # still the price in effect today

    asked = await submit(client, url, f"{url}/retire", {})
    assert "서비스를 폐지할까요" in asked.text
    assert (await Service.get(id=int(url.rsplit("/", 1)[1]))).is_active
    done = await submit(client, url, f"{url}/retire", {"confirmed": "yes"})
    assert done.status_code == 303 and not (await Service.get(id=int(url.rsplit("/", 1)[1]))).is_active

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    read_only = await client.get(url)
    assert read_only.status_code == 200 and 'action="/services/' not in read_only.text


async def test_a_claim_submitted_with_the_escrow_form_records_its_quantity(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    await original_contract(world.hanbit_rep)  # a renewal needs an escrow contract that is ending
    made = await submit_claim(
        actor=acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE),
        commitment_id=pledge.id,
        service_id=(await service(ServiceCode.ESCROW_RENEWAL)).id,
        details=ESCROW_MATERIAL,
        quantity=2,
    )
    assert (made.quantity, made.list_price) == (2, 150_000 + 50_000)
