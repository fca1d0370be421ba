"""Issue 19, step 2: the secretariat works a case. The queue shows unanswered cases by first-response
deadline (overdue first); received → in consultation → referred → closed; internal notes stay internal;
the SME gets a mail at each step it should know of and sees the timeline."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, timedelta

import httpx
import pytest

from server.models import (
    CaseOutcome,
    CaseStatus,
    OutgoingMail,
    ProtectionCase,
    ReferralBody,
    RoleKind,
)
from server.platform.errors import DomainError, ErrorCode
from server.platform.timeutil import now
from server.protection import case_queries, cases, handling
from server.protection.handling import Referral
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.protection import open_case
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")


async def test_the_queue_shows_unanswered_cases_by_deadline_so_overdue_ones_lead(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    answered = await open_case(world.hanbit_rep)
    fresh = await open_case(world.hanbit_rep)
    overdue = await open_case(world.hanbit_rep)
    await ProtectionCase.filter(id=overdue.id).update(respond_by=now() - timedelta(hours=1))
    await cases.add_case_message(actor=admin, case_id=answered.id, body="자료를 확인 중입니다.")
    queue = await case_queries.list_cases(admin)
    assert [c.id for c in queue.items] == [overdue.id, fresh.id, answered.id]
    assert [case_queries.is_overdue(c) for c in queue.items] == [True, False, False]


async def test_a_case_moves_through_its_steps_and_the_sme_is_told_each_but_never_the_notes(
    world: World,
) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    case = await open_case(world.hanbit_rep)
    await handling.assign_protection_case(actor=admin, case_id=case.id, handler_id=world.admin.user.id)
    assert (await ProtectionCase.get(id=case.id)).status == CaseStatus.IN_CONSULTATION
    await cases.add_case_message(actor=admin, case_id=case.id, body="수사 의뢰 전에 로그를 보존해 주세요.")
    await cases.add_case_message(actor=admin, case_id=case.id, body="협력사 A가 의심됨", internal=True)
    referral = Referral(ReferralBody.POLICE, date(2026, 11, 30), "경기남부-2026-118")
    await handling.refer_protection_case(actor=admin, case_id=case.id, referral=referral)
    closed = await handling.close_protection_case(
        actor=admin, case_id=case.id, outcome=CaseOutcome.REFERRED_ONWARD, reason="경찰 수사로 이관"
    )
    assert closed.status == CaseStatus.CLOSED and closed.first_response_at is not None
    subjects = [m.subject for m in await OutgoingMail.filter(recipient=world.hanbit_rep.email).order_by("id")]
    assert [s.split("(")[0].split("] ")[1].strip() for s in subjects] == [
        "기술보호 상담 접수", "담당자 배정", "사무국 답변", "외부 기관 연계", "상담 종결",
    ]  # fmt: skip
    bodies = " ".join(m.body for m in await OutgoingMail.all())
    assert "협력사 A" not in bodies and "로그를 보존" not in bodies
    seen_by_sme = await case_queries.timeline(rep, await case_queries.get_case(rep, case.id))
    kinds = [e.kind.value for e in seen_by_sme.items]
    assert kinds == ["opened", "assigned", "message", "referred", "closed"]
    assert seen_by_sme.items[3].reference == "경기남부-2026-118"
    seen_by_staff = await case_queries.timeline(admin, await case_queries.get_case(admin, case.id))
    assert "note" in [e.kind.value for e in seen_by_staff.items]


async def test_only_the_secretariat_works_cases_and_a_closed_case_stays_closed(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    case = await open_case(world.hanbit_rep)
    for attempt in (
        handling.assign_protection_case(actor=rep, case_id=case.id, handler_id=world.hanbit_rep.user.id),
        cases.add_case_message(actor=rep, case_id=case.id, body="note", internal=True),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt
        assert refused.value.errors[0].code == ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as not_staff:
        await handling.assign_protection_case(
            actor=admin, case_id=case.id, handler_id=world.hanbit_rep.user.id
        )
    assert not_staff.value.errors[0].field == "handlerId"
    await handling.close_protection_case(
        actor=admin, case_id=case.id, outcome=CaseOutcome.RESOLVED, reason="해결"
    )
    with pytest.raises(DomainError) as closed:
        await cases.add_case_message(actor=rep, case_id=case.id, body="다시 열어 주세요")
    assert closed.value.errors[0].code == ErrorCode.INVALID_STATE


OPEN = """mutation($input: OpenProtectionCaseInput!) { openProtectionCase(input: $input) {
  protectionCase { id status evidence { nodes { name uploaded sha256 } } } errors { field code message } } }"""
WORK = """mutation($id: Int!, $handler: Int!) {
  assignProtectionCase(caseId: $id, handlerId: $handler) { protectionCase { status handlerName } errors { code } }
  referProtectionCase(caseId: $id, body: LEGAL_AID, referredOn: "2026-12-01", reference: "L-77") {
    protectionCase { status } errors { code } }
  closeProtectionCase(caseId: $id, outcome: RESOLVED, reason: "법률 지원으로 해결") {
    protectionCase { status outcome } errors { code } }
}"""
TIMELINE = """query($id: Int!) { protectionCase(id: $id) {
  status timeline { totalCount nodes { kind internal body referralBody reference } } } }"""


async def test_the_whole_journey_through_graphql(client: httpx.AsyncClient, world: World) -> None:
    """Open with a fingerprint-only file and an uploaded one; assign, refer, close; the SME sees the steps."""
    kept = b"source code that never leaves the company"
    sent = b"%PDF-1.4 interview notes"
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    evidence = [
        {"name": "src.zip", "size": len(kept), "sha256": hashlib.sha256(kept).hexdigest()},
        {
            "name": "notes.pdf",
            "size": len(sent),
            "sha256": hashlib.sha256(sent).hexdigest(),
            "contentBase64": base64.b64encode(sent).decode(),
        },
    ]
    opened = await gql(
        client,
        OPEN,
        {
            "input": {
                "kind": "PARTNER_MISAPPROPRIATION",
                "noticedOn": "2026-11-25",
                "technologies": "사출 금형 설계",
                "urgency": "URGENT",
                "description": "협력 대기업 담당자가 금형 도면을 다른 업체에 넘긴 정황",
                "checklist": ["kept_logs", "wrote_timeline"],
                "evidence": evidence,
            }
        },
    )
    payload = opened["openProtectionCase"]
    assert payload["errors"] == []
    case = payload["protectionCase"]
    assert [(e["name"], e["uploaded"]) for e in case["evidence"]["nodes"]] == [
        ("src.zip", False),
        ("notes.pdf", True),
    ]
    await sign_in(client, world.admin.email, world.admin.password)
    worked = await gql(client, WORK, {"id": case["id"], "handler": world.admin.user.id})
    assert worked["assignProtectionCase"]["protectionCase"] == {
        "status": "IN_CONSULTATION",
        "handlerName": "사무국 관리자",
    }
    assert worked["closeProtectionCase"]["protectionCase"] == {"status": "CLOSED", "outcome": "RESOLVED"}
    download = await client.get(f"/protection/{case['id']}/evidence/2")
    assert download.content == sent
    assert download.headers["content-disposition"].startswith("attachment")
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    seen = (await gql(client, TIMELINE, {"id": case["id"]}))["protectionCase"]
    assert seen["status"] == "CLOSED"
    assert [n["kind"] for n in seen["timeline"]["nodes"]] == [
        "OPENED", "EVIDENCE", "EVIDENCE", "ASSIGNED", "REFERRED", "CLOSED",
    ]  # fmt: skip
    assert seen["timeline"]["nodes"][4]["reference"] == "L-77"


async def test_the_secretariat_works_a_case_through_the_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    """Closing asks first; the SME's page then shows the closed case and its timeline."""
    case = await open_case(world.hanbit_rep)
    page = f"/protection/{case.id}"
    await sign_in_as(client, world.admin.email, world.admin.password)
    queue = await client.get("/protection")
    assert f"/protection/{case.id}" in queue.text
    answer = await submit(client, page, f"{page}/assign", {"handler": str(world.admin.user.id)})
    assert answer.status_code == 303
    answer = await submit(
        client,
        page,
        f"{page}/refer",
        {"body": "counselling_service", "referred_on": "2026-12-01", "reference": "C-1"},
    )
    assert answer.status_code == 303
    asked = await submit(client, page, f"{page}/close", {"outcome": "resolved", "reason": "상담으로 해결"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.text
    assert (await ProtectionCase.get(id=case.id)).status == CaseStatus.REFERRED
    done = await submit(
        client, page, f"{page}/close", {"outcome": "resolved", "reason": "상담으로 해결", "confirmed": "yes"}
    )
    assert done.status_code == 303
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    mine = await client.get(page)
    assert mine.status_code == 200 and "C-1" in mine.text and "상담으로 해결" in mine.text
    assert "사무국 관리자" in mine.text  # who read it
