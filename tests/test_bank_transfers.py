"""Paying the SME share by bank transfer as an office does: the exact amount with a reference, recorded by
the secretariat; any other amount is flagged and never silently accepted; the SME prints its receipt and
the sponsor's statement says how each share was paid."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from server.models import (
    Attention,
    AttentionKind,
    AuditEntry,
    BankTransfer,
    Claim,
    ClaimStatus,
    Commitment,
    LedgerEntry,
    OutgoingMail,
    Payment,
    RoleKind,
    TransferOutcome,
)
from server.money.claims import approve_claim
from server.money.references import ALPHABET, transfer_reference
from server.money.statements import sponsor_statement
from server.money.transfers import TransferInput, record_bank_transfer
from server.platform.config import configure
from server.platform.errors import DomainError, ErrorCode
from server.platform.settings import BankAccount, Settings
from tests.support.costs import acting, claim, commitment, pay_by_transfer, sme_partner, today
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.world import World
from web.app import create_app

ACCOUNT = BankAccount("IBK기업은행", "123-456789-01-012", "중소기업기술보호클럽")
SME_SHARE = 90_000  # an escrow's 300,000 with a 70 % sponsor
TRANSFER = """
mutation($id: Int!, $amount: Won!, $on: Date!, $key: String) {
  recordBankTransfer(claimId: $id, amount: $amount, receivedOn: $on, depositorName: "TPAAAACH 한빛", idempotencyKey: $key) {
    transfer { id amount outcome } claim { id status paymentMethod } errors { field code }
  }
}"""
INSTRUCTIONS = """
query($id: Int!) {
  claim(id: $id) {
    transferReference
    transferInstructions { account { bank number holder } amount reference }
    bankTransfers { amount outcome depositorName }
  }
}"""
RECEIPT = """
query($id: Int!) {
  claimReceipt(claimId: $id) { number amount method quantity serviceNameKo payer { nameKo } claim { id } }
}"""


@pytest_asyncio.fixture
async def banked(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the club's bank account configured, as CLUB_BANK_* set it."""
    with_account = dataclasses.replace(settings, bank_account=ACCOUNT)
    configure(with_account)
    transport = httpx.ASGITransport(app=create_app(with_account, run_workers=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def approved_claim(world: World) -> Claim:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    return await approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )


def received(amount: int) -> TransferInput:
    return TransferInput(amount, today(), "한빛정밀")


async def test_an_approved_claim_shows_the_exact_share_the_account_and_a_reference_to_write(
    banked: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    assert approved.transfer_reference == transfer_reference(approved.id)

    await sign_in(banked, world.hanbit_rep.email, world.hanbit_rep.password)
    shown = (await gql(banked, INSTRUCTIONS, {"id": approved.id}))["claim"]
    assert shown["transferInstructions"] == {
        "account": {"bank": "IBK기업은행", "number": "123-456789-01-012", "holder": "중소기업기술보호클럽"},
        "amount": SME_SHARE,
        "reference": approved.transfer_reference,
    }
    page = await banked.get(f"/claims/{approved.id}")
    assert (
        "123-456789-01-012" in page.text
        and f'id="transfer-reference">{approved.transfer_reference}<' in page.text
    )
    assert 'id="transfer-amount">90,000원<' in page.text

    await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), approved.id)
    paid = (await gql(banked, INSTRUCTIONS, {"id": approved.id}))["claim"]
    assert paid["transferInstructions"] is None  # nothing more to pay
    assert paid["bankTransfers"] == [
        {"amount": SME_SHARE, "outcome": "MATCHED", "depositorName": "(주)한빛정밀"}
    ]


async def test_the_exact_amount_settles_the_claim_through_the_ledger_once(
    client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    await sign_in(client, world.admin.email, world.admin.password)
    variables = {"id": approved.id, "amount": SME_SHARE, "on": str(today()), "key": "bank-2026-12-03-0001"}

    first = (await gql(client, TRANSFER, variables))["recordBankTransfer"]
    again = (await gql(client, TRANSFER, variables))["recordBankTransfer"]

    assert first["errors"] == [] and first["transfer"]["outcome"] == "MATCHED"
    assert first["claim"] == {"id": approved.id, "status": "PAID", "paymentMethod": "TRANSFER"}
    assert again["transfer"]["id"] == first["transfer"]["id"]  # a retried call records nothing twice
    assert await LedgerEntry.filter(claim_id=approved.id, kind="capture").count() == 1
    assert await Payment.filter(claim_id=approved.id, method="transfer", status="succeeded").count() == 1
    assert (await Commitment.get(id=approved.commitment_id)).captured == 210_000  # type: ignore[attr-defined]
    assert await AuditEntry.filter(action="claim.pay", record_id=str(approved.id)).count() == 1
    assert await OutgoingMail.filter(recipient=world.hanbit_rep.email, subject__contains="영수증").exists()


@pytest.mark.parametrize(
    ("amount", "outcome"), [(SME_SHARE - 1_000, "SHORT"), (SME_SHARE + 10_000, "EXCESS")]
)
async def test_a_short_or_excess_transfer_is_recorded_and_flagged_and_the_claim_stays_unpaid(
    client: httpx.AsyncClient, world: World, amount: int, outcome: str
) -> None:
    approved = await approved_claim(world)
    await sign_in(client, world.admin.email, world.admin.password)

    flagged = await gql(client, TRANSFER, {"id": approved.id, "amount": amount, "on": str(today())})
    payload = flagged["recordBankTransfer"]

    assert payload["transfer"]["outcome"] == outcome and payload["claim"]["status"] == "APPROVED"
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.APPROVED
    assert not await LedgerEntry.filter(claim_id=approved.id, kind="capture").exists()
    assert not await Payment.filter(claim_id=approved.id).exists()
    item = await Attention.get(claim_id=approved.id)
    assert (item.kind, item.amount, item.resolved_at) == (AttentionKind.TRANSFER_MISMATCH, amount, None)
    listed = await client.get("/attention")
    assert f'href="/claims/{approved.id}"' in listed.text and "일치하지 않습니다" in listed.text
    assert await AuditEntry.filter(action="claim.transfer_flagged", record_id=str(approved.id)).exists()

    # The SME then sends the exact share: that one pays the claim.
    settled = await gql(client, TRANSFER, {"id": approved.id, "amount": SME_SHARE, "on": str(today())})
    assert settled["recordBankTransfer"]["claim"]["status"] == "PAID"
    outcomes = (
        await BankTransfer.filter(claim_id=approved.id).order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == [outcome.lower(), TransferOutcome.MATCHED]


async def test_only_the_secretariat_records_a_transfer_and_only_for_an_approved_claim(
    client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    variables = {"id": approved.id, "amount": SME_SHARE, "on": str(today())}
    for who in (world.hanbit_rep, world.samsung_coordinator):
        await sign_in(client, who.email, who.password)
        refused = (await gql(client, TRANSFER, variables))["recordBankTransfer"]
        assert refused["errors"] == [{"field": None, "code": "FORBIDDEN"}]
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    with pytest.raises(DomainError) as bad:
        await record_bank_transfer(actor=secretariat, claim_id=approved.id, data=TransferInput(0, None, " "))
    assert {e.field for e in bad.value.errors} == {"amount", "receivedOn", "depositorName"}
    await record_bank_transfer(actor=secretariat, claim_id=approved.id, data=received(SME_SHARE))
    with pytest.raises(DomainError) as twice:
        await record_bank_transfer(actor=secretariat, claim_id=approved.id, data=received(SME_SHARE))
    assert twice.value.errors[0].code == ErrorCode.INVALID_STATE
    assert not await BankTransfer.filter(claim_id=approved.id, outcome="short").exists()


def test_references_are_short_unique_and_a_mistyped_character_never_names_another_claim() -> None:
    references = {transfer_reference(claim_id): claim_id for claim_id in range(1, 20_000)}
    assert len(references) == 19_999
    assert all(len(reference) == 8 for reference in references)
    assert len(transfer_reference(2**31 - 1)) <= 16  # fits the column for any claim id
    for reference in list(references)[::97]:
        for position in range(2, len(reference)):
            for letter in ALPHABET:
                typo = reference[:position] + letter + reference[position + 1 :]
                assert typo == reference or typo not in references, (reference, typo)


async def test_the_sme_prints_a_receipt_for_its_share_and_no_one_outside_the_claim_sees_it(
    client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await gql(client, RECEIPT, {"id": approved.id}))["claimReceipt"] is None  # not paid yet
    paid = await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), approved.id)

    receipt = (await gql(client, RECEIPT, {"id": approved.id}))["claimReceipt"]
    assert receipt == {
        "number": f"R{today():%Y}-{approved.id:06d}",
        "amount": SME_SHARE,
        "method": "TRANSFER",
        "quantity": 1,
        "serviceNameKo": "기술자료 임치 신규 계약",
        "payer": {"nameKo": "한빛정밀"},
        "claim": {"id": approved.id},
    }
    assert paid.status == ClaimStatus.PAID
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    printed = await client.get(f"/claims/{approved.id}/receipt")
    assert (
        printed.status_code == 200
        and "영수증" in printed.text
        and 'id="receipt-amount">90,000원<' in printed.text
    )

    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    await sign_in(client, sejin.email, sejin.password)
    assert (await gql(client, RECEIPT, {"id": approved.id}))["claimReceipt"] is None
    await sign_in_as(client, sejin.email, sejin.password)
    assert (await client.get(f"/claims/{approved.id}/receipt")).status_code == 404


async def test_the_sponsor_statement_shows_how_each_share_was_paid(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000, share_percent=100)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    free = await claim(world.hanbit_rep, pledge)
    await approve_claim(
        actor=coordinator, claim_id=free.id
    )  # the sponsor pays all: nothing for the SME to pay
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    await commitment(world.samsung_coordinator)
    shared = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    transferred = await claim(sejin, shared)
    await approve_claim(actor=coordinator, claim_id=transferred.id)
    await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), transferred.id)

    statement = await sponsor_statement(coordinator, month=None)
    assert {line.claim.id: line.paid_by.value for line in statement.lines} == {
        free.id: "none",
        transferred.id: "transfer",
    }
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    lines = (await gql(client, "{ sponsorStatement { lines { claim { id } paidBy } } }"))["sponsorStatement"][
        "lines"
    ]
    assert {line["claim"]["id"]: line["paidBy"] for line in lines} == {
        free.id: "NONE",
        transferred.id: "TRANSFER",
    }
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    rows = list(
        csv.reader(
            io.StringIO((await client.get(f"/statements.csv?month={today():%Y-%m}")).text.lstrip("\ufeff"))
        )
    )
    assert rows[0][-1] == "납부 방법" and sorted(r[-1] for r in rows[1:-1]) == ["계좌이체", "부담금 없음"]


async def test_the_secretariat_records_a_transfer_on_the_claim_page(
    client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    url = f"/claims/{approved.id}"
    await sign_in_as(client, world.admin.email, world.admin.password)
    short = await submit(
        client,
        url,
        f"{url}/transfer",
        {"amount": "80,000", "received_on": str(today()), "depositor_name": "한빛"},
    )
    assert short.status_code == 303
    page = await client.get(url)
    assert (
        "부족 입금: 확인 필요" in page.text
        and (await Claim.get(id=approved.id)).status == ClaimStatus.APPROVED
    )
    future = await submit(
        client,
        url,
        f"{url}/transfer",
        {"amount": "90,000", "received_on": "2999-01-01", "depositor_name": "한빛"},
    )
    assert future.status_code == 400 and "입금일은 오늘 이후일 수 없습니다" in future.text


@pytest.mark.postgres_only
async def test_two_people_recording_the_same_transfer_at_once_settle_the_claim_once(world: World) -> None:
    approved = await approved_claim(world)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)

    async def record() -> Any:
        try:
            return await record_bank_transfer(
                actor=secretariat, claim_id=approved.id, data=received(SME_SHARE)
            )
        except DomainError as refused:
            return refused

    results = await asyncio.gather(record(), record(), record())

    recorded = [r for r in results if isinstance(r, BankTransfer)]
    refused = [r.errors[0].code for r in results if isinstance(r, DomainError)]
    assert len(recorded) == 1 and refused == [ErrorCode.INVALID_STATE] * 2
    assert await LedgerEntry.filter(claim_id=approved.id, kind="capture").count() == 1
    assert await Payment.filter(claim_id=approved.id).count() == 1


async def test_the_claim_list_shows_each_claims_transfers_in_a_fixed_number_of_queries(
    client: httpx.AsyncClient, world: World, queries: Any
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=10_000_000)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    reps = [world.hanbit_rep] + [
        await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}") for i in range(1, 8)
    ]
    for rep in reps:
        made = await claim(rep, pledge)
        await approve_claim(actor=coordinator, claim_id=made.id)
        await record_bank_transfer(actor=secretariat, claim_id=made.id, data=received(1_000))
    await sign_in(client, world.admin.email, world.admin.password)
    query = """query($first: Int) { claims(first: $first) {
      nodes { id transferReference transferInstructions { amount reference } bankTransfers { amount outcome } } } }"""
    counts = []
    for first in (2, 8):
        queries.reset()
        data = await gql(client, query, {"first": first})
        counts.append(queries.count)
        assert len(data["claims"]["nodes"]) == first
        assert all(
            n["bankTransfers"] == [{"amount": 1_000, "outcome": "SHORT"}] for n in data["claims"]["nodes"]
        )
    assert counts[0] == counts[1]
