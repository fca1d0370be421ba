"""An SME claims a sponsored service; its sponsor decides; the budget moves with every step."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from server.models import (
    AuditEntry,
    Claim,
    ClaimStatus,
    Commitment,
    Diagnosis,
    DiagnosisStatus,
    LedgerEntry,
    OutgoingMail,
    Questionnaire,
    RoleKind,
    ServiceCode,
)
from server.money import claim_fulfilment
from server.money import claims as claim_service
from server.money.claim_jobs import expire_overdue_claims, remind_escrow_renewals
from server.money.reconcile import check_books
from server.platform.errors import DomainError
from server.platform.timeutil import now
from tests.support.costs import acting, claim, commitment, pay_by_transfer, service, sme_partner, today
from tests.support.graphql import gql, sign_in
from tests.support.world import World

ERRORS = "errors { field code message }"
CLAIM = "claim { id status listPrice sponsorShare smeShare paymentMethod paymentDueAt }"
SUBMIT = f"""
mutation($commitment: Int!, $service: Int!, $details: String!) {{
  submitClaim(commitmentId: $commitment, serviceId: $service, details: $details) {{ {CLAIM} {ERRORS} }}
}}"""
APPROVE = f"mutation($id: Int!) {{ approveClaim(claimId: $id) {{ {CLAIM} {ERRORS} }} }}"
REJECT = f"mutation($id: Int!, $reason: String!) {{ rejectClaim(claimId: $id, reason: $reason) {{ {CLAIM} {ERRORS} }} }}"
CANCEL = f"mutation($id: Int!) {{ cancelClaim(claimId: $id) {{ {CLAIM} {ERRORS} }} }}"
TRANSFER = f"""
mutation($id: Int!, $amount: Won!, $on: Date!) {{
  recordBankTransfer(claimId: $id, amount: $amount, receivedOn: $on, depositorName: "한빛정밀") {{ {CLAIM} {ERRORS} }}
}}"""
FULFIL = f"""
mutation($id: Int!, $number: String!, $ends: Date) {{
  fulfillClaim(claimId: $id, contractNumber: $number, contractEndsOn: $ends) {{ {CLAIM} {ERRORS} }}
}}"""
REFUND = f"mutation($id: Int!, $reason: String!) {{ refundClaim(claimId: $id, reason: $reason) {{ {CLAIM} {ERRORS} }} }}"


async def figures(commitment_id: int) -> tuple[int, int, int]:
    found = await Commitment.get(id=commitment_id)
    return found.budget, found.reserved, found.captured


async def as_(client: httpx.AsyncClient, who: object) -> None:
    await sign_in(client, who.email, who.password)  # type: ignore[attr-defined]


async def test_a_claim_goes_from_submission_through_transfer_and_fulfilment_to_refund(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(
        world.samsung_coordinator, budget=1_000_000, share_percent=70, cap_per_claim=200_000
    )
    escrow = await service(ServiceCode.ESCROW_NEW)

    await as_(client, world.hanbit_rep)
    submitted = (
        await gql(
            client, SUBMIT, {"commitment": pledge.id, "service": escrow.id, "details": "펌웨어 소스코드"}
        )
    )["submitClaim"]
    assert submitted["errors"] == []
    claim_id = submitted["claim"]["id"]
    assert submitted["claim"]["status"] == "SUBMITTED" and submitted["claim"]["sponsorShare"] is None
    assert await OutgoingMail.filter(recipient=world.samsung_coordinator.email).count() == 1

    await as_(client, world.samsung_coordinator)
    approved = (await gql(client, APPROVE, {"id": claim_id}))["approveClaim"]["claim"]
    # 70 % of 300,000 is 210,000: the cap of 200,000 applies; the SME pays the rest.
    assert (approved["status"], approved["sponsorShare"], approved["smeShare"]) == (
        "APPROVED",
        200_000,
        100_000,
    )
    assert approved["paymentDueAt"].endswith("+09:00")
    assert await figures(pledge.id) == (1_000_000, 200_000, 0)

    await as_(client, world.admin)
    received = {"id": claim_id, "amount": 100_000, "on": str(today())}
    paid = (await gql(client, TRANSFER, received))["recordBankTransfer"]["claim"]
    assert (paid["status"], paid["paymentMethod"]) == ("PAID", "TRANSFER")
    assert await figures(pledge.id) == (1_000_000, 0, 200_000)
    missing = (await gql(client, FULFIL, {"id": claim_id, "number": " ", "ends": None}))["fulfillClaim"]
    assert {e["field"] for e in missing["errors"]} == {"contractNumber", "contractEndsOn"}
    ends = str((now() + timedelta(days=365)).date())
    fulfilled = await gql(client, FULFIL, {"id": claim_id, "number": "KEC-2026-0042", "ends": ends})
    assert fulfilled["fulfillClaim"]["claim"]["status"] == "FULFILLED"
    refunded = (await gql(client, REFUND, {"id": claim_id, "reason": "임치 계약 해지"}))["refundClaim"][
        "claim"
    ]
    assert refunded["status"] == "REFUNDED" and refunded["sponsorShare"] == 200_000
    assert await figures(pledge.id) == (1_000_000, 0, 0)

    kinds = await LedgerEntry.filter(claim_id=claim_id).order_by("id").values_list("kind", "amount")
    assert kinds == [("reserve", 200_000), ("capture", 200_000), ("refund", 200_000)]
    actions = await AuditEntry.filter(record_type="Claim").order_by("id").values_list("action", flat=True)
    assert actions == ["claim.submit", "claim.approve", "claim.pay", "claim.fulfil", "claim.refund"]
    subjects = (
        await OutgoingMail.filter(recipient=world.hanbit_rep.email)
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert ["승인" in subjects[0], "영수증" in subjects[1], "완료" in subjects[2], "환불" in subjects[3]] == [
        True
    ] * 4
    assert await check_books() == []


async def test_a_rejection_needs_a_reason_and_tells_the_sme(client: httpx.AsyncClient, world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    await as_(client, world.samsung_coordinator)
    blank = (await gql(client, REJECT, {"id": submitted.id, "reason": "  "}))["rejectClaim"]
    assert blank["errors"][0]["field"] == "reason"
    rejected = await gql(client, REJECT, {"id": submitted.id, "reason": "임치 대상 기술이 협력 품목과 무관"})
    assert rejected["rejectClaim"]["claim"]["status"] == "REJECTED"
    mail = await OutgoingMail.filter(recipient=world.hanbit_rep.email).get()
    assert "반려" in mail.subject and "협력 품목과 무관" in mail.body
    twice = (await gql(client, APPROVE, {"id": submitted.id}))["approveClaim"]
    assert twice["errors"][0]["code"] == "INVALID_STATE"


async def test_cancelling_an_approved_claim_gives_the_reservation_back(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=500_000)
    submitted = await claim(world.hanbit_rep, pledge)
    await as_(client, world.samsung_coordinator)
    await gql(client, APPROVE, {"id": submitted.id})
    assert await figures(pledge.id) == (500_000, 210_000, 0)
    await as_(client, world.hanbit_rep)
    cancelled = (await gql(client, CANCEL, {"id": submitted.id}))["cancelClaim"]["claim"]
    assert cancelled["status"] == "CANCELLED"
    assert await figures(pledge.id) == (500_000, 0, 0)


async def test_the_last_of_the_budget_is_shared_and_then_approval_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=300_000, share_percent=70)
    sejin_rep = await sme_partner(world.samsung, "세진테크", "214860001")
    first = await claim(world.hanbit_rep, pledge)
    second = await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    third = await claim(sejin_rep, pledge)
    await as_(client, world.samsung_coordinator)
    assert (await gql(client, APPROVE, {"id": first.id}))["approveClaim"]["claim"]["sponsorShare"] == 210_000
    # 105,000 would be the share; only 90,000 is left, so the sponsor pays that and the SME the rest.
    partial = (await gql(client, APPROVE, {"id": second.id}))["approveClaim"]["claim"]
    assert (partial["sponsorShare"], partial["smeShare"]) == (90_000, 60_000)
    refused = (await gql(client, APPROVE, {"id": third.id}))["approveClaim"]
    assert refused["errors"][0]["code"] == "BUDGET_EXHAUSTED" and refused["claim"] is None
    assert (await Claim.get(id=third.id)).status == ClaimStatus.SUBMITTED
    assert await figures(pledge.id) == (300_000, 300_000, 0)


async def test_a_full_sponsorship_skips_payment_and_is_captured_at_approval(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=100)
    submitted = await claim(world.hanbit_rep, pledge)
    await as_(client, world.samsung_coordinator)
    approved = (await gql(client, APPROVE, {"id": submitted.id}))["approveClaim"]["claim"]
    assert (approved["status"], approved["smeShare"], approved["paymentMethod"]) == ("PAID", 0, "NONE")
    assert await figures(pledge.id) == (1_000_000, 0, 300_000)


async def test_a_split_never_changes_after_approval_even_when_the_price_and_budget_do(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=50)
    submitted = await claim(world.hanbit_rep, pledge)
    await as_(client, world.samsung_coordinator)
    await gql(client, APPROVE, {"id": submitted.id})
    escrow = await service(ServiceCode.ESCROW_NEW)
    escrow.list_price = 400_000
    await escrow.save()
    await Commitment.filter(id=pledge.id).update(share_percent=90)
    after = await Claim.get(id=submitted.id)
    assert (after.list_price, after.sponsor_share, after.sme_share) == (300_000, 150_000, 150_000)
    # A claim submitted now copies the new price.
    renewal = await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    assert renewal.list_price == 150_000


async def test_an_unpaid_approval_expires_and_releases_its_reservation(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    submitted = await claim(world.hanbit_rep, pledge)
    await claim_service.approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )
    assert await expire_overdue_claims() == 0
    await Claim.filter(id=submitted.id).update(payment_due_at=now() - timedelta(minutes=1))
    assert await expire_overdue_claims() == 1
    assert (await Claim.get(id=submitted.id)).status == ClaimStatus.EXPIRED
    assert await figures(pledge.id) == (1_000_000, 0, 0)
    assert await expire_overdue_claims() == 0
    assert (
        "만료"
        in (await OutgoingMail.filter(recipient=world.hanbit_rep.email).order_by("-id").first()).subject
    )  # type: ignore[union-attr]


async def test_a_commitment_limits_claims_per_sme_and_refuses_duplicates(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, max_claims_per_sme=2)
    await claim(world.hanbit_rep, pledge)
    with pytest.raises(DomainError) as duplicate:
        await claim(world.hanbit_rep, pledge)
    assert duplicate.value.errors[0].code == "duplicate"
    await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    with pytest.raises(DomainError) as limit:
        await claim(world.hanbit_rep, pledge, ServiceCode.GUARD_SUBSCRIPTION)
    assert limit.value.errors[0].code == "limit_reached"


async def test_a_commitment_that_requires_a_recent_self_diagnosis_says_so_until_there_is_one(
    world: World,
) -> None:
    pledge = await commitment(world.samsung_coordinator, diagnosis_within_months=6)
    with pytest.raises(DomainError) as missing:
        await claim(world.hanbit_rep, pledge)
    assert missing.value.errors[0].code == "diagnosis_required"
    questionnaire = await Questionnaire.get(version=1)
    old = await Diagnosis.create(
        sme=world.hanbit,
        questionnaire=questionnaire,
        status=DiagnosisStatus.SUBMITTED,
        submitted_at=now() - timedelta(days=200),
    )
    with pytest.raises(DomainError):
        await claim(world.hanbit_rep, pledge)
    old.submitted_at = now() - timedelta(days=20)
    await old.save()
    assert (await claim(world.hanbit_rep, pledge)).status == ClaimStatus.SUBMITTED


async def test_only_the_sponsor_decides_only_the_sme_cancels_and_others_see_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    for who in (world.lg_coordinator, world.admin, world.hanbit_rep):
        await as_(client, who)
        refused = (await gql(client, APPROVE, {"id": submitted.id}))["approveClaim"]
        assert refused["errors"][0]["code"] == "NOT_FOUND", who
    for who in (world.samsung_coordinator, world.lg_coordinator):
        await as_(client, who)
        assert (await gql(client, CANCEL, {"id": submitted.id}))["cancelClaim"]["errors"][0][
            "code"
        ] == "NOT_FOUND"
    await as_(client, world.lg_coordinator)
    listed = await gql(client, "{ claims { totalCount } }")
    assert listed["claims"]["totalCount"] == 0
    hidden = await client.post("/graphql", json={"query": f"{{ claim(id: {submitted.id}) {{ id }} }}"})
    assert hidden.json()["data"] == {"claim": None}
    await as_(client, world.samsung_coordinator)
    received = {"id": submitted.id, "amount": 100_000, "on": str(today())}
    assert (await gql(client, TRANSFER, received))["recordBankTransfer"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await Claim.get(id=submitted.id)).status == ClaimStatus.SUBMITTED


async def test_the_review_queue_lists_submitted_claims_oldest_first_in_a_fixed_number_of_queries(
    client: httpx.AsyncClient, world: World, queries: object
) -> None:
    pledge = await commitment(world.samsung_coordinator)
    reps = [world.hanbit_rep] + [
        await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}") for i in range(1, 12)
    ]
    for rep in reps:
        await claim(rep, pledge)
    await as_(client, world.samsung_coordinator)
    query = """query($first: Int) { claims(status: SUBMITTED, orderBy: OLDEST, first: $first) {
      totalCount nodes { id status listPrice sme { nameKo } service { code } commitment { name remaining } } } }"""
    counts = []
    for first in (3, 12):
        queries.reset()  # type: ignore[attr-defined]
        data = await gql(client, query, {"first": first})
        counts.append(queries.count)  # type: ignore[attr-defined]
        assert len(data["claims"]["nodes"]) == first and data["claims"]["totalCount"] == 12
    ids = [n["id"] for n in data["claims"]["nodes"]]
    assert ids == sorted(ids) and data["claims"]["nodes"][0]["sme"]["nameKo"] == "한빛정밀"
    assert counts[0] == counts[1] <= 5


async def test_an_escrow_contract_near_its_end_reminds_the_sme_and_sponsor_once(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, share_percent=100)
    submitted = await claim(world.hanbit_rep, pledge)
    await claim_service.approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )
    await claim_fulfilment.fulfill_claim(
        actor=acting(world.admin, RoleKind.SECRETARIAT),
        claim_id=submitted.id,
        fulfilment=claim_fulfilment.Fulfilment("KEC-1", (now() + timedelta(days=90)).date()),
    )
    assert await remind_escrow_renewals() == 0
    await Claim.filter(id=submitted.id).update(escrow_contract_ends_on=(now() + timedelta(days=59)).date())
    assert await remind_escrow_renewals() == 1
    assert await remind_escrow_renewals() == 0
    reminded = await OutgoingMail.filter(subject__contains="갱신").values_list("recipient", flat=True)
    assert sorted(reminded) == sorted([world.hanbit_rep.email, world.samsung_coordinator.email])


async def test_the_partner_list_shows_each_partners_claims_in_a_fixed_number_of_queries(
    client: httpx.AsyncClient, world: World, queries: object
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=5_000_000)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    paid = await claim(world.hanbit_rep, pledge)
    await claim_service.approve_claim(actor=coordinator, claim_id=paid.id)
    await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), paid.id)
    await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    others = [await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}") for i in range(1, 10)]
    for rep in others[:4]:
        await claim(rep, pledge)
    await as_(client, world.samsung_coordinator)
    query = """query($first: Int) { partners(first: $first, orderBy: NAME) {
      nodes { sme { nameKo } claimSummary { claims open sponsorPaid } } } }"""
    counts = []
    for first in (3, 10):
        queries.reset()  # type: ignore[attr-defined]
        data = await gql(client, query, {"first": first})
        counts.append(queries.count)  # type: ignore[attr-defined]
    assert counts[0] == counts[1] <= 5
    summaries = {n["sme"]["nameKo"]: n["claimSummary"] for n in data["partners"]["nodes"]}
    assert summaries["한빛정밀"] == {"claims": 2, "open": 1, "sponsorPaid": 210_000}
    assert summaries["협력사1"] == {"claims": 1, "open": 1, "sponsorPaid": 0}
    assert summaries["협력사9"] == {"claims": 0, "open": 0, "sponsorPaid": 0}


async def test_a_claim_refunded_once_cannot_be_refunded_again(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=100)
    submitted = await claim(world.hanbit_rep, pledge)
    await claim_service.approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )
    await as_(client, world.admin)
    first = (await gql(client, REFUND, {"id": submitted.id, "reason": "중복"}))["refundClaim"]
    assert first["claim"]["status"] == "REFUNDED"
    again = (await gql(client, REFUND, {"id": submitted.id, "reason": "중복"}))["refundClaim"]
    assert again["errors"][0]["code"] == "INVALID_STATE" and "refunded" in again["errors"][0]["message"]
    assert await figures(pledge.id) == (1_000_000, 0, 0)
