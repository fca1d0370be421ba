"""A money form sent twice (a double click, a resend) or a mutation retried with its key acts once.

Each money form carries a one-time token made when it is rendered; the second post of the same
token answers like the first and moves nothing. Sequential repeats run on both databases; the
repeats that arrive at the same moment run on PostgreSQL, where they really overlap.
"""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from server.models import (
    Claim,
    ClaimStatus,
    Commitment,
    IdempotencyKey,
    LedgerEntry,
    Payment,
    RoleKind,
    ServiceCode,
)
from server.money.claims import approve_claim
from server.money.commitments import top_up_commitment
from server.platform.errors import DomainError
from tests.support.costs import acting, claim, commitment, pay_by_transfer, today
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as
from tests.support.world import Person, World

SHARE = 210_000  # 70 % of an escrow's 300,000


async def form_from(client: httpx.AsyncClient, page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form on `page` that posts to `action`, as the browser would send them."""
    html = (await client.get(page)).text
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form for {action} on {page}"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1)))


async def twice(client: httpx.AsyncClient, action: str, data: dict[str, str], *, at_once: bool) -> list[int]:
    """Post the same form twice: one after the other, or both at the same moment."""
    posts = (client.post(action, data=data) for _ in range(2))
    if at_once:
        answers = await asyncio.gather(*posts)
    else:
        answers = [await post for post in posts]
    assert {a.headers.get("location") for a in answers} == {answers[0].headers.get("location")}
    return [a.status_code for a in answers]


async def entries(claim_id: int, kind: str) -> int:
    return await LedgerEntry.filter(claim_id=claim_id, kind=kind).count()


async def approved_claim(world: World, budget: int = 3_000_000) -> Claim:
    pledge = await commitment(world.samsung_coordinator, budget=budget, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    return await approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )


async def paid_claim(world: World) -> Claim:
    approved = await approved_claim(world)
    return await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), approved.id)


async def signed_in(client: httpx.AsyncClient, who: Person) -> None:
    await sign_in_as(client, who.email, who.password)


@pytest.fixture(params=["one after the other", "at once"])
def at_once(request: pytest.FixtureRequest) -> bool:
    if request.param == "at once" and request.config.getoption("--backend") != "postgres":
        pytest.skip("proves nothing on SQLite (one writer at a time): runs in the PostgreSQL pass")
    return bool(request.param == "at once")


async def test_a_top_up_form_sent_twice_raises_the_budget_once(
    client: httpx.AsyncClient, world: World, at_once: bool
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    await signed_in(client, world.samsung_coordinator)
    page, action = f"/commitments/{pledge.id}", f"/commitments/{pledge.id}/top-up"
    form = await form_from(client, page, action)

    assert await twice(client, action, {**form, "amount": "500,000"}, at_once=at_once) == [303, 303]

    assert (await Commitment.get(id=pledge.id)).budget == 1_500_000
    # A new rendering of the form is a new request: topping up again is not mistaken for a repeat.
    again = await form_from(client, page, action)
    assert again["form_token"] != form["form_token"]
    assert (await client.post(action, data={**again, "amount": "100000"})).status_code == 303
    assert (await Commitment.get(id=pledge.id)).budget == 1_600_000


async def test_a_form_sent_again_with_other_details_is_refused_and_says_to_reload(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    await signed_in(client, world.samsung_coordinator)
    page, action = f"/commitments/{pledge.id}", f"/commitments/{pledge.id}/top-up"
    form = await form_from(client, page, action)
    assert (await client.post(action, data={**form, "amount": "500000"})).status_code == 303

    changed = await client.post(action, data={**form, "amount": "600000"})

    assert changed.status_code == 400 and "페이지를 새로 고친 뒤" in changed.text
    assert (await Commitment.get(id=pledge.id)).budget == 1_500_000


async def test_a_commitment_form_sent_twice_creates_one_commitment(
    client: httpx.AsyncClient, world: World
) -> None:
    await signed_in(client, world.samsung_coordinator)
    form = await form_from(client, "/commitments/new", "/commitments")
    escrow_id = re.search(r'name="service_ids" value="(\d+)"', (await client.get("/commitments/new")).text)
    assert escrow_id
    data = {
        **form,
        "name": "2027 임치 지원",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "service_ids": escrow_id.group(1),
        "share_percent": "70",
        "budget": "1000000",
        "tiers": "1",
    }
    assert await twice(client, "/commitments", data, at_once=False) == [303, 303]
    assert await Commitment.all().count() == 1
    assert await LedgerEntry.filter(kind="budget").count() == 1


async def test_an_approval_sent_twice_reserves_once(
    client: httpx.AsyncClient, world: World, at_once: bool
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=3_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    await signed_in(client, world.samsung_coordinator)
    url = f"/claims/{submitted.id}"
    form = await form_from(client, url, f"{url}/approve")

    assert await twice(client, f"{url}/approve", form, at_once=at_once) == [303, 303]

    assert await entries(submitted.id, "reserve") == 1
    after = await Commitment.get(id=pledge.id)
    assert (after.reserved, after.captured) == (SHARE, 0)


async def test_a_transfer_marked_twice_captures_once(
    client: httpx.AsyncClient, world: World, at_once: bool
) -> None:
    approved = await approved_claim(world)
    await signed_in(client, world.admin)
    url = f"/claims/{approved.id}"
    form = await form_from(client, url, f"{url}/transfer")
    received = {"amount": str(approved.sme_share), "received_on": str(today()), "depositor_name": "TP"}

    assert await twice(client, f"{url}/transfer", {**form, **received}, at_once=at_once) == [303, 303]

    assert await entries(approved.id, "capture") == 1
    assert await Payment.filter(claim_id=approved.id).count() == 1
    assert (await Commitment.get(id=approved.commitment_id)).captured == SHARE  # type: ignore[attr-defined]


async def confirmation(client: httpx.AsyncClient, url: str, action: str, **data: str) -> dict[str, str]:
    """Ask for a destructive action: the confirmation's "yes" form, as the browser would send it."""
    asked = await client.post(
        f"{url}/{action}", data={**await form_from(client, url, f"{url}/{action}"), **data}
    )
    confirm = re.search(rf'<form method="post" action="{url}/{action}">(.*?)</form>', asked.text, re.S)
    assert confirm, asked.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', confirm.group(1)))
    assert form["confirmed"] == "yes" and form["form_token"]
    return form


async def test_a_refund_confirmed_twice_refunds_once(
    client: httpx.AsyncClient, world: World, at_once: bool
) -> None:
    paid = await paid_claim(world)
    await signed_in(client, world.admin)
    url = f"/claims/{paid.id}"
    form = await confirmation(client, url, "refund", reason="중복")

    assert await twice(client, f"{url}/refund", form, at_once=at_once) == [303, 303]

    assert await entries(paid.id, "refund") == 1
    assert (await Claim.get(id=paid.id)).status == ClaimStatus.REFUNDED
    assert (await Commitment.get(id=paid.commitment_id)).captured == 0  # type: ignore[attr-defined]


async def test_a_withdrawal_confirmed_twice_releases_once(
    client: httpx.AsyncClient, world: World, at_once: bool
) -> None:
    approved = await approved_claim(world)
    await signed_in(client, world.hanbit_rep)
    url = f"/claims/{approved.id}"
    form = await confirmation(client, url, "cancel")

    assert await twice(client, f"{url}/cancel", form, at_once=at_once) == [303, 303]

    assert await entries(approved.id, "release") == 1
    assert (await Commitment.get(id=approved.commitment_id)).reserved == 0  # type: ignore[attr-defined]


async def test_a_card_payment_retried_with_its_key_charges_once(
    paying_client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    await sign_in(paying_client, world.hanbit_rep.email, world.hanbit_rep.password)
    start = """mutation S($id: Int!, $key: String) {
      startClaimPayment(claimId: $id, paymentMethod: "pm_card_visa", idempotencyKey: $key) {
        claim { id } amount clientSecret errors { code }
      }
    }"""
    answers = [await gql(paying_client, start, {"id": approved.id, "key": "pay-1"}) for _ in range(2)]

    assert answers[0] == answers[1]
    assert answers[0]["startClaimPayment"]["errors"] == []
    assert await Payment.filter(claim_id=approved.id).count() == 1


async def test_a_mutation_retried_with_its_key_returns_the_first_result_and_tops_up_once(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    top_up = """mutation T($id: Int!, $amount: Won!, $key: String) {
      topUpCommitment(commitmentId: $id, amount: $amount, idempotencyKey: $key) {
        commitment { id budget } errors { field code }
      }
    }"""
    sent = {"id": pledge.id, "amount": 250_000, "key": "erp-batch-7-line-1"}
    first = await gql(client, top_up, sent)
    repeat = await gql(client, top_up, sent)
    assert first["topUpCommitment"] == {"commitment": {"id": pledge.id, "budget": 1_250_000}, "errors": []}
    assert repeat == first
    assert (await Commitment.get(id=pledge.id)).budget == 1_250_000

    # The same key for a different request is the client's mistake, said as such; nothing moves.
    reused = await gql(client, top_up, {**sent, "amount": 300_000})
    assert reused["topUpCommitment"] == {
        "commitment": None,
        "errors": [{"field": None, "code": "KEY_REUSED"}],
    }
    # Without a key every call is a request of its own.
    await gql(client, top_up, {**sent, "key": None})
    await gql(client, top_up, {**sent, "key": None})
    assert (await Commitment.get(id=pledge.id)).budget == 1_750_000


async def test_an_approval_retried_with_its_key_answers_approved_and_reserves_once(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=3_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    approve = """mutation A($id: Int!, $key: String) {
      approveClaim(claimId: $id, idempotencyKey: $key) { claim { status sponsorShare } errors { code } }
    }"""
    answers = [await gql(client, approve, {"id": submitted.id, "key": "approve-1"}) for _ in range(2)]
    assert (
        answers[0]
        == answers[1]
        == {"approveClaim": {"claim": {"status": "APPROVED", "sponsorShare": SHARE}, "errors": []}}
    )
    assert await entries(submitted.id, "reserve") == 1


async def test_a_refused_request_keeps_no_key_and_can_be_sent_again_once_it_can_succeed(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=100_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    await approve_claim(
        actor=coordinator, claim_id=(await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)).id
    )
    try:
        await approve_claim(actor=coordinator, claim_id=submitted.id, idempotency_key="approve-7")
        raise AssertionError("the budget is used up")
    except DomainError as refused:
        assert refused.errors[0].code == "budget_exhausted"
    # The key went with the refusal's rolled-back transaction: it is not "already done".
    assert not await IdempotencyKey.exists(key="approve-7")
    await top_up_commitment(actor=coordinator, commitment_id=pledge.id, amount=500_000)

    approved = await approve_claim(actor=coordinator, claim_id=submitted.id, idempotency_key="approve-7")

    assert approved.status == ClaimStatus.APPROVED and await entries(submitted.id, "reserve") == 1


async def test_approving_an_approved_claim_without_a_key_is_refused_and_reserves_nothing_more(
    world: World, at_once: bool
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=3_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    calls = (approve_claim(actor=coordinator, claim_id=submitted.id) for _ in range(2))
    if at_once:
        results = await asyncio.gather(*calls, return_exceptions=True)
    else:
        results = []
        for call in calls:
            try:
                results.append(await call)
            except DomainError as refused:
                results.append(refused)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].errors[0].code == "invalid_state"
    assert await entries(submitted.id, "reserve") == 1
    assert (await Commitment.get(id=pledge.id)).reserved == SHARE
