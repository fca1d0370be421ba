"""Issue 19, step 4: escrow proof of possession. The SME (or the secretariat) records a fulfilled escrow
claim's certificate and the fingerprints of the deposited files; anyone holding a file learns only whether
exactly it was deposited and on which date; the SME cites a deposit in a case."""

from __future__ import annotations

import hashlib
from datetime import date

import httpx
import pytest

from server.models import ClaimStatus, EntryKind, RoleKind
from server.platform.errors import DomainError, ErrorCode
from server.protection import case_queries, deposits
from server.protection.deposits import DepositedFile
from tests.support.costs import acting, claim, commitment
from tests.support.graphql import gql
from tests.support.pages import submit
from tests.support.protection import fulfilled_escrow, open_case
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")
SOURCE = b"int main() { return secret_recipe(); }"
DIGEST = hashlib.sha256(SOURCE).hexdigest()
VERIFY = "query($d: String!) { verifyDeposit(sha256: $d) { matches depositedOn } }"


async def test_a_deposit_is_recorded_and_anyone_can_check_a_file_and_learns_only_the_date(
    client: httpx.AsyncClient, world: World
) -> None:
    fulfilled = await fulfilled_escrow(world)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    await deposits.record_escrow_deposit(
        actor=rep,
        claim_id=fulfilled.id,
        certificate_number="임치-2026-118",
        deposited_on=date(2026, 11, 2),
        files=[DepositedFile("controller.c", len(SOURCE), DIGEST)],
    )
    # Not signed in: the answer is the date alone.
    answer = (await gql(client, VERIFY, {"d": DIGEST}))["verifyDeposit"]
    assert answer == {"matches": True, "depositedOn": "2026-11-02"}
    other = hashlib.sha256(b"something else").hexdigest()
    assert (await gql(client, VERIFY, {"d": other}))["verifyDeposit"] == {
        "matches": False,
        "depositedOn": None,
    }
    page = await submit(client, "/verify", "/verify", {"sha256": DIGEST})
    assert "2026-11-02" in page.text
    assert "임치-2026-118" not in page.text and "controller.c" not in page.text and "한빛" not in page.text


async def test_only_a_fulfilled_escrow_claim_of_one_s_own_takes_a_deposit(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    assert submitted.status == ClaimStatus.SUBMITTED
    files = [DepositedFile("a.c", 1, DIGEST)]
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    with pytest.raises(DomainError) as early:
        await deposits.record_escrow_deposit(
            actor=rep,
            claim_id=submitted.id,
            certificate_number="X",
            deposited_on=date(2026, 11, 2),
            files=files,
        )
    assert early.value.errors[0].code == ErrorCode.INVALID_STATE
    sponsor = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    with pytest.raises(DomainError) as not_theirs:
        await deposits.record_escrow_deposit(
            actor=sponsor,
            claim_id=submitted.id,
            certificate_number="X",
            deposited_on=date(2026, 11, 2),
            files=files,
        )
    assert not_theirs.value.errors[0].code == ErrorCode.NOT_FOUND


async def test_a_case_cites_the_sme_s_deposit(world: World) -> None:
    fulfilled = await fulfilled_escrow(world)
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    deposit = await deposits.record_escrow_deposit(
        actor=admin,
        claim_id=fulfilled.id,
        certificate_number="임치-2026-118",
        deposited_on=date(2026, 11, 2),
        files=[DepositedFile("controller.c", len(SOURCE), DIGEST)],
    )
    case = await open_case(world.hanbit_rep)
    await deposits.cite_deposit(actor=rep, case_id=case.id, deposit_id=deposit.id)
    timeline = await case_queries.timeline(rep, case)
    cited = [e for e in timeline.items if e.kind == EntryKind.DEPOSIT_CITED]
    assert [e.body for e in cited] == ["임치-2026-118"]
