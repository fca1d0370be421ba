"""A suspended or withdrawn member starts nothing new; claims already approved still complete.

Applied and active members take part fully. Suspended: no invitations, no new, activated or topped-up
commitments, no approvals, and SMEs cannot claim under its commitments (they are not offered).
Withdrawn: the same, and its active commitments close, their pending claims rejected.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import httpx
import pytest

from server.membership import organizations, partner_import
from server.models import (
    Claim,
    ClaimStatus,
    Commitment,
    CommitmentStatus,
    ImportStatus,
    MembershipStatus,
    OutgoingMail,
    PartnerImport,
    Partnership,
    RoleKind,
    Service,
    ServiceCode,
)
from server.money import claim_fulfilment
from server.money import claims as claim_service
from tests.support.costs import acting, claim, commitment, pay_by_transfer, sme_partner, today
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.spreadsheets import csv_bytes, partner_rows
from tests.support.world import Person, World

ERRORS = "errors { field code message }"
INVITE = f"""mutation {{ invitePartner(businessNumber: "134-86-72683", nameKo: "새협력사", tier: FIRST,
  contactEmail: "new@sme.test") {{ {ERRORS} }} }}"""
PREVIEW = f"""mutation($content: String!) {{ previewPartnerImport(filename: "p.csv", contentBase64: $content) {{
  {ERRORS} }} }}"""
CREATE = f"""mutation($services: [Int!]!, $start: Date!, $end: Date!) {{ createCommitment(input: {{
  name: "2027 지원", periodStart: $start, periodEnd: $end, serviceIds: $services, sharePercent: 50,
  budget: 1000000 }}) {{ {ERRORS} }} }}"""
ACTIVATE = f"mutation($id: Int!) {{ activateCommitment(commitmentId: $id) {{ {ERRORS} }} }}"
TOP_UP = f"mutation($id: Int!) {{ topUpCommitment(commitmentId: $id, amount: 500000) {{ {ERRORS} }} }}"
APPROVE = f"mutation($id: Int!) {{ approveClaim(claimId: $id) {{ {ERRORS} }} }}"
SUBMIT = f"""mutation($commitment: Int!, $service: Int!) {{ submitClaim(commitmentId: $commitment,
  serviceId: $service, details: "설계도면") {{ {ERRORS} }} }}"""
OFFERED = "{ commitments { nodes { id } } }"


@dataclass
class Club:
    active: Commitment
    draft: Commitment
    approved: Claim  # Hanbit's, reserved before the membership changed
    submitted: Claim  # Sejin's, awaiting a decision
    sejin: Person


async def _club(world: World) -> Club:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    await organizations.admit_member(actor=admin, organization_id=world.samsung.id)
    active = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    draft = await commitment(world.samsung_coordinator, active=False)
    approved = await claim(world.hanbit_rep, active)
    await claim_service.approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=approved.id
    )
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    submitted = await claim(sejin, active)
    return Club(active, draft, approved, submitted, sejin)


async def _change(world: World, status: MembershipStatus) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    await organizations.change_membership(actor=admin, organization_id=world.samsung.id, status=status)


async def _approved_claim_completes(world: World, approved: Claim) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    await pay_by_transfer(admin, approved.id)
    done = await claim_fulfilment.fulfill_claim(
        actor=admin, claim_id=approved.id, fulfilment=claim_fulfilment.Fulfilment("KEC-1", today())
    )
    assert done.status == ClaimStatus.FULFILLED
    after = await Commitment.get(id=approved.commitment_id)  # type: ignore[attr-defined]
    assert (after.reserved, after.captured) == (0, 210_000)


@pytest.mark.parametrize("status", [MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN])
async def test_graphql_refuses_whatever_a_member_out_of_good_standing_would_start(
    client: httpx.AsyncClient, world: World, status: MembershipStatus
) -> None:
    club = await _club(world)
    await _change(world, status)

    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    escrow = await Service.get(code=ServiceCode.ESCROW_NEW)
    content = base64.b64encode(
        "사업자등록번호,회사명,차수,이메일\n134-86-72683,새협력사,1,new@sme.test\n".encode()
    ).decode()
    dates = {"start": str(today()), "end": str(today().replace(year=today().year + 1))}
    refusals = {
        "invitePartner": await gql(client, INVITE),
        "previewPartnerImport": await gql(client, PREVIEW, {"content": content}),
        "createCommitment": await gql(client, CREATE, {"services": [escrow.id], **dates}),
        "activateCommitment": await gql(client, ACTIVATE, {"id": club.draft.id}),
        "topUpCommitment": await gql(client, TOP_UP, {"id": club.active.id}),
        "approveClaim": await gql(client, APPROVE, {"id": club.submitted.id}),
    }
    for mutation, data in refusals.items():
        assert [e["code"] for e in data[mutation]["errors"]] == ["MEMBERSHIP_INACTIVE"], mutation
    assert not await Partnership.filter(sme__business_number="1348672683").exists()
    assert await Commitment.filter(conglomerate_id=world.samsung.id).count() == 2
    assert (await Commitment.get(id=club.draft.id)).status == CommitmentStatus.DRAFT
    assert (await Commitment.get(id=club.active.id)).budget == 1_000_000

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await gql(client, OFFERED))["commitments"]["nodes"] == []
    guard = await Service.get(code=ServiceCode.GUARD_SUBSCRIPTION)
    refused = await gql(client, SUBMIT, {"commitment": club.active.id, "service": guard.id})
    assert refused["submitClaim"]["errors"][0]["code"] == "NOT_FOUND"

    await _approved_claim_completes(world, club.approved)


async def test_the_pages_refuse_a_suspended_member_and_say_why(
    client: httpx.AsyncClient, world: World
) -> None:
    club = await _club(world)
    await _change(world, MembershipStatus.SUSPENDED)
    suspended = "클럽 회원 자격이 정지"

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    for page in ("/", "/commitments", f"/commitments/{club.active.id}", "/commitments/new"):
        assert suspended in (await client.get(page)).text, page
    escrow = await Service.get(code=ServiceCode.ESCROW_NEW)
    invite = {
        "business_number": "134-86-72683",
        "name_ko": "새협력사",
        "tier": "1",
        "contact_email": "n@sme.test",
    }
    create = {
        "name": "2027 지원",
        "period_start": str(today()),
        "period_end": str(today().replace(year=today().year + 1)),
        "share_percent": "50",
        "budget": "1000000",
        "tiers": "1",
        "service_ids": str(escrow.id),
    }
    detail = f"/commitments/{club.active.id}"
    attempts = {
        "invite": await submit(client, "/partners/invite", "/partners/invite", invite),
        "create": await submit(client, "/commitments/new", "/commitments", create),
        "activate": await submit(
            client, f"/commitments/{club.draft.id}", f"/commitments/{club.draft.id}/activate", {}
        ),
        "top-up": await submit(client, detail, f"{detail}/top-up", {"amount": "500000"}),
        "approve": await submit(
            client, f"/claims/{club.submitted.id}", f"/claims/{club.submitted.id}/approve", {}
        ),
    }
    for action, response in attempts.items():
        assert response.status_code == 400 and suspended in response.text, action
    assert (await Claim.get(id=club.submitted.id)).status == ClaimStatus.SUBMITTED

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    offered = await client.get("/commitments")
    assert f"commitment={club.active.id}&" not in offered.text
    assert "삼성전자" in offered.text and "새 신청을 받지 않습니다" in offered.text
    assert (await client.get(f"/claims/new?commitment={club.active.id}")).status_code == 404

    await _change(world, MembershipStatus.ACTIVE)  # reinstated: everything opens again
    assert f"commitment={club.active.id}&" in (await client.get("/commitments")).text
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    topped = await submit(client, detail, f"{detail}/top-up", {"amount": "500000"})
    assert topped.status_code == 303 and (await Commitment.get(id=club.active.id)).budget == 1_500_000


async def test_withdrawal_closes_active_commitments_and_rejects_their_pending_claims_but_keeps_approved_ones(
    client: httpx.AsyncClient, world: World
) -> None:
    club = await _club(world)
    before = await Commitment.get(id=club.active.id)
    await _change(world, MembershipStatus.WITHDRAWN)

    closed = await Commitment.get(id=club.active.id)
    assert closed.status == CommitmentStatus.CLOSED and closed.closed_at is not None
    assert (closed.budget, closed.reserved, closed.captured) == (
        before.budget,
        before.reserved,
        before.captured,
    )
    assert (await Commitment.get(id=club.draft.id)).status == CommitmentStatus.DRAFT
    rejected = await Claim.get(id=club.submitted.id)
    assert rejected.status == ClaimStatus.REJECTED and "withdrawn from the club" in rejected.rejection_reason
    assert await OutgoingMail.filter(recipient=club.sejin.email, subject__contains="반려").exists()
    assert (await Claim.get(id=club.approved.id)).status == ClaimStatus.APPROVED
    await _approved_claim_completes(world, club.approved)

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert "클럽에서 탈퇴" in (await client.get("/")).text


async def test_a_partner_list_uploaded_before_a_suspension_is_not_sent_after_it(
    client: httpx.AsyncClient, world: World
) -> None:
    await organizations.admit_member(
        actor=acting(world.admin, RoleKind.SECRETARIAT), organization_id=world.samsung.id
    )
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    content = csv_bytes(partner_rows(3))
    before = await partner_import.preview_partner_import(actor=coordinator, filename="a.csv", content=content)
    later = await partner_import.preview_partner_import(actor=coordinator, filename="b.csv", content=content)
    await _change(world, MembershipStatus.SUSPENDED)

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    commit = f"mutation($id: Int!) {{ commitPartnerImport(importId: $id) {{ {ERRORS} }} }}"
    refused = (await gql(client, commit, {"id": before.id}))["commitPartnerImport"]
    assert refused["errors"][0]["code"] == "MEMBERSHIP_INACTIVE"
    page = f"/partners/import/{later.id}"
    sent = await submit(client, page, f"{page}/commit", {})
    assert sent.status_code == 400 and "클럽 회원 자격이 정지" in sent.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/partners/import")).text)
    assert token
    upload = await client.post(
        "/partners/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("c.csv", content, "text/csv")},
    )
    assert upload.status_code == 400 and "클럽 회원 자격이 정지" in upload.text
    assert await PartnerImport.filter(status=ImportStatus.PREVIEWED).count() == 2
    assert await Partnership.filter(conglomerate_id=world.samsung.id).count() == 1  # Hanbit only
