"""The cost-sharing pages, used as a browser without JavaScript would: plain forms and links."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import httpx

from server.models import Claim, ClaimStatus, Commitment, CommitmentStatus, RoleKind, ServiceCode
from server.money.claims import approve_claim
from server.money.payments import refund_claim
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment, pay_by_transfer, service, sme_partner, today
from tests.support.pages import sign_in_as, submit
from tests.support.queries import QueryCounter
from tests.support.world import World


async def test_a_coordinator_sets_up_a_commitment_with_the_form_and_sees_its_figures(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    escrow = await service(ServiceCode.ESCROW_NEW)
    form = {
        "name": "2027 협력사 임치 지원",
        "period_start": str(today()),
        "period_end": str(today() + timedelta(days=300)),
        "service_ids": str(escrow.id),
        "share_percent": "80",
        "budget": "2,000,000",
        "cap_per_claim": "",
        "tiers": "1",
    }
    wrong = await submit(client, "/commitments/new", "/commitments", {**form, "budget": "이백만"})
    assert wrong.status_code == 400 and "예산" in wrong.text and 'value="2027 협력사 임치 지원"' in wrong.text
    assert await Commitment.all().count() == 0

    created = await submit(client, "/commitments/new", "/commitments", form)
    assert created.status_code == 303
    page_url = created.headers["location"]
    commitment_id = int(page_url.rsplit("/", 1)[1])
    activated = await submit(client, page_url, f"/commitments/{commitment_id}/activate", {})
    assert activated.status_code == 303
    page = await client.get(page_url)
    assert "2,000,000원" in page.text and "240,000원" in page.text  # 80 % of 300,000
    assert (await Commitment.get(id=commitment_id)).status == CommitmentStatus.ACTIVE

    asked = await submit(client, page_url, f"/commitments/{commitment_id}/close", {})
    assert asked.status_code == 200 and "닫을까요" in asked.text
    assert (await Commitment.get(id=commitment_id)).status == CommitmentStatus.ACTIVE
    closed = await submit(client, page_url, f"/commitments/{commitment_id}/close", {"confirmed": "yes"})
    assert closed.status_code == 303
    assert (await Commitment.get(id=commitment_id)).status == CommitmentStatus.CLOSED


async def test_an_sme_claims_from_the_sponsored_services_page_and_the_coordinator_approves_from_the_queue(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    escrow = await service(ServiceCode.ESCROW_NEW)
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    offered = await client.get("/commitments")
    assert "90,000원" in offered.text  # what Hanbit would pay for a new escrow
    form_page = f"/claims/new?commitment={pledge.id}&service={escrow.id}"
    missing = await submit(
        client, form_page, "/claims", {"commitment_id": str(pledge.id), "service_id": str(escrow.id)}
    )
    assert missing.status_code == 400 and "임치할 자료" in missing.text
    sent = await submit(
        client,
        form_page,
        "/claims",
        {"commitment_id": str(pledge.id), "service_id": str(escrow.id), "details": "소스코드"},
    )
    assert sent.status_code == 303
    claim_url = sent.headers["location"].split("?")[0]
    claim_id = int(claim_url.rsplit("/", 1)[1])

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    queue = await client.get("/claims")
    assert "지원 신청 검토" in queue.text and f'href="/claims/{claim_id}"' in queue.text
    approved = await submit(client, claim_url, f"{claim_url}/approve", {})
    assert approved.status_code == 303
    assert (await Claim.get(id=claim_id)).status == ClaimStatus.APPROVED
    empty = await client.get("/claims")
    assert "결정을 기다리는 신청이 없습니다" in empty.text

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    mine = await client.get(claim_url)
    assert "90,000원" in mine.text and "클럽 계좌로 이체" in mine.text
    asked = await submit(client, claim_url, f"{claim_url}/cancel", {})
    assert "신청을 철회할까요" in asked.text and (await Claim.get(id=claim_id)).status == ClaimStatus.APPROVED
    withdrawn = await submit(client, claim_url, f"{claim_url}/cancel", {"confirmed": "yes"})
    assert withdrawn.status_code == 303 and (await Claim.get(id=claim_id)).status == ClaimStatus.CANCELLED


async def test_the_secretariat_records_the_transfer_fulfils_and_refunds_after_confirming(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    url = f"/claims/{submitted.id}"
    await sign_in_as(client, world.admin.email, world.admin.password)
    received = {"amount": "90,000", "received_on": str(today()), "depositor_name": "한빛정밀"}
    assert (await submit(client, url, f"{url}/transfer", received)).status_code == 303
    incomplete = await submit(client, url, f"{url}/fulfil", {"contract_number": "KEC-7"})
    assert incomplete.status_code == 400 and "만료일" in incomplete.text
    ends = str(today() + timedelta(days=365))
    assert (
        await submit(client, url, f"{url}/fulfil", {"contract_number": "KEC-7", "contract_ends_on": ends})
    ).status_code == 303
    asked = await submit(client, url, f"{url}/refund", {"reason": "중복 신청"})
    assert "환불할까요" in asked.text and (await Claim.get(id=submitted.id)).status == ClaimStatus.FULFILLED
    done = await submit(client, url, f"{url}/refund", {"reason": "중복 신청", "confirmed": "yes"})
    assert done.status_code == 303 and (await Claim.get(id=submitted.id)).status == ClaimStatus.REFUNDED
    history = await client.get(url)
    assert "중복 신청" in history.text


async def test_a_claim_of_another_sponsor_is_not_found_on_the_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    await sign_in_as(client, world.lg_coordinator.email, world.lg_coordinator.password)
    assert (await client.get(f"/claims/{submitted.id}")).status_code == 404
    assert (await client.get(f"/commitments/{pledge.id}")).status_code == 404
    posted = await submit(client, "/claims", f"/claims/{submitted.id}/approve", {})
    assert posted.status_code == 404 and (await Claim.get(id=submitted.id)).status == ClaimStatus.SUBMITTED


async def test_the_commitment_page_charts_spend_and_runs_a_fixed_number_of_queries(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000, share_percent=70)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    reps = [world.hanbit_rep] + [
        await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}") for i in range(1, 4)
    ]
    for rep in reps:
        submitted = await claim(rep, pledge)
        await approve_claim(actor=coordinator, claim_id=submitted.id)
        await pay_by_transfer(secretariat, submitted.id)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    queries.reset()
    page = await client.get(f"/commitments/{pledge.id}")
    assert page.status_code == 200
    assert queries.count <= 8, queries.statements
    month = today().strftime("%Y-%m")
    bar = re.search(r'<rect [^>]*data-label="([^"]+)" data-value="(\d+)"', page.text)
    assert bar and bar.groups() == (month, str(4 * 210_000))
    assert "2,000,000원" in page.text and "1,160,000원" in page.text  # remaining


async def test_the_monthly_statement_lists_captures_and_refunds_with_totals_as_a_page_and_a_csv(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000, share_percent=70)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    for rep in (world.hanbit_rep, sejin):
        submitted = await claim(rep, pledge)
        await approve_claim(actor=coordinator, claim_id=submitted.id)
        await pay_by_transfer(secretariat, submitted.id)

    await refund_claim(actor=secretariat, claim_id=submitted.id, reason="취소")
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = await client.get("/statements")
    assert "한빛정밀" in page.text and "세진테크" in page.text
    total = re.search(r'id="total-sponsor">([^<]+)<', page.text)
    assert total and total.group(1) == "210,000원"  # two captures of 210,000 less one refund
    download = await client.get(f"/statements.csv?month={today():%Y-%m}")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [r[6] for r in rows[1:]] == ["210000", "210000", "-210000", "210000"]
    await sign_in_as(client, world.lg_coordinator.email, world.lg_coordinator.password)
    other = await client.get(f"/statements.csv?month={today():%Y-%m}")
    assert "한빛정밀" not in other.text


async def test_the_review_queue_page_runs_a_fixed_number_of_queries(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    pledge = await commitment(world.samsung_coordinator)
    reps = [world.hanbit_rep] + [
        await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}") for i in range(1, 8)
    ]
    for rep in reps:
        await claim(rep, pledge)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    queries.reset()
    page = await client.get("/claims")
    assert page.text.count('href="/claims/') >= 8
    assert queries.count <= 6, queries.statements
    dashboard = await client.get("/")
    assert re.search(r'결정 대기 신청</span><b><a href="/claims">8<', dashboard.text)


async def test_the_card_page_loads_stripe_js_and_without_stripe_points_to_a_transfer(
    client: httpx.AsyncClient, paying_client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    await sign_in_as(paying_client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = await paying_client.get(f"/claims/{submitted.id}/pay")
    assert page.status_code == 200 and "/js.stripe.com/v3/" in page.text and "90,000원" in page.text
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    without = await client.get(f"/claims/{submitted.id}/pay")
    assert without.status_code == 400 and "계좌이체" in without.text


async def test_a_capture_late_on_the_last_evening_of_a_month_belongs_to_that_month_in_seoul(
    world: World, settings: Settings
) -> None:
    from datetime import datetime

    from server.models import LedgerEntry
    from server.money.statements import sponsor_statement
    from server.platform.timeutil import SEOUL, entered

    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), submitted.id)
    # 23:30 on 31 October in Seoul is 14:30 UTC the same day; 00:30 on 1 November is still 31 October in UTC.
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    capture = LedgerEntry.filter(claim_id=submitted.id, kind="capture")
    captured_at = (await capture.get()).created_at
    for moment, month, expected in (
        (datetime(2026, 10, 31, 23, 30, tzinfo=SEOUL), "2026-10", 1),
        (datetime(2026, 11, 1, 0, 30, tzinfo=SEOUL), "2026-10", 0),
        (datetime(2026, 11, 1, 0, 30, tzinfo=SEOUL), "2026-11", 1),
    ):
        await capture.update(created_at=entered(moment))
        statement = await sponsor_statement(coordinator, month=month)
        assert len(statement.lines) == expected, (moment, month)
    # The commitment's monthly spend still counts the capture in the month it happened.
    await capture.update(created_at=captured_at)
