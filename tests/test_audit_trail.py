"""The audit trail, readable: who (name now), when (Seoul), what changed (before → after, in words), on
every main record's page, in the log (filters, CSV) and through GraphQL, each asker seeing only their share;
and nobody edits or deletes it through the product."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import httpx
import pytest

from server.models import AuditEntry, RoleKind
from server.money.commitments import top_up_commitment
from server.platform.audit_trail import AuditFilter, audit_log
from tests.support import costs
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as
from tests.support.world import World

ROOT = Path(__file__).parent.parent
KOREAN = {"Accept-Language": "ko"}
LOG = """query($filter: AuditLogFilter, $after: String) { auditLog(filter: $filter, first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { who role organization what recordKind recordId at changes { field before after } } } }"""


async def test_a_commitment_s_page_tells_its_history_in_korean_words(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: the record page shows who (name), role and organisation, what, and each change before → after
    with a Korean label and the amount in won."""
    commitment = await costs.commitment(world.samsung_coordinator, budget=3_000_000)
    await top_up_commitment(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR),
        commitment_id=commitment.id,
        amount=500_000,
    )
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = (await client.get(f"/commitments/{commitment.id}")).text
    history = page[page.index('id="history"') :]
    assert "김협력" in history and "대기업 담당자" in history and "삼성전자" in history
    assert "예산 증액" in history
    assert "3,000,000원 → 3,500,000원" in history


async def test_record_history_is_for_the_record_s_own_organisations(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: a claim's history is shown to its SME, its sponsor and the secretariat; a commitment's not to
    an SME that may see the commitment itself."""
    commitment = await costs.commitment(world.samsung_coordinator)
    claim = await costs.claim(world.hanbit_rep, commitment)
    for who, path, shown in [
        (world.hanbit_rep, f"/claims/{claim.id}", True),
        (world.samsung_coordinator, f"/claims/{claim.id}", True),
        (world.admin, f"/claims/{claim.id}", True),
        (world.hanbit_rep, f"/commitments/{commitment.id}", False),
    ]:
        await sign_in_as(client, who.email, who.password)
        page = await client.get(path)
        assert page.status_code == 200
        assert ('id="history"' in page.text) is shown, (who.email, path)


async def test_the_log_shows_each_organisation_its_own_share_and_the_secretariat_everything(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule (policy.visible_audit_entries): a coordinator reads its own organisation's log, never another
    conglomerate's entries, whatever filter it asks for; the secretariat reads all."""
    samsung = await costs.commitment(world.samsung_coordinator)
    lg = await costs.commitment(world.lg_coordinator)
    lg_entries = {str(lg.id)}
    for who, sees_lg in [(world.samsung_coordinator, False), (world.admin, True)]:
        await sign_in(client, who.email, who.password)
        for filter in ({}, {"kind": "Commitment"}, {"who": "박담당"}):
            nodes = (await gql(client, LOG, {"filter": filter}))["auditLog"]["nodes"]
            ids = {n["recordId"] for n in nodes if n["recordKind"] == "Commitment"}
            assert bool(ids & lg_entries) is sees_lg, (who.email, filter)
            if not filter or filter.get("kind"):
                assert str(samsung.id) in ids
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = await client.get("/audit?kind=Commitment")
    assert page.status_code == 200 and "박담당" not in page.text and "김협력" in page.text


async def test_the_log_filters_by_who_kind_and_day_and_pages_completely(world: World) -> None:
    """Rule: filters narrow the log; pages of it add up to the whole, without repeats."""
    commitment = await costs.commitment(world.samsung_coordinator)
    await costs.claim(world.hanbit_rep, commitment)
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    every = await (await audit_log(admin, AuditFilter(), first=100, after=None)).total_count()
    seen: list[int] = []
    after = None
    while True:
        page = await audit_log(admin, AuditFilter(), first=2, after=after)
        seen += [e.id for e in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert len(seen) == len(set(seen)) == every >= 3
    by_rep = (await audit_log(admin, AuditFilter(who="rep@hanbit"), first=100, after=None)).items
    assert by_rep and {e.actor_id for e in by_rep} == {world.hanbit_rep.user.id}
    claims_only = (await audit_log(admin, AuditFilter(kind="Claim"), first=100, after=None)).items
    assert {e.record_type for e in claims_only} == {"Claim"}
    future = costs.today().replace(year=costs.today().year + 1)
    assert (await audit_log(admin, AuditFilter(since=future), first=100, after=None)).items == []
    assert len((await audit_log(admin, AuditFilter(until=future), first=100, after=None)).items) == every


async def test_graphql_and_the_csv_say_the_same_words_as_the_page(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: one formatter: GraphQL in the asker's language, the CSV (Korean headings) one line per change."""
    commitment = await costs.commitment(world.samsung_coordinator, budget=3_000_000)
    await top_up_commitment(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR),
        commitment_id=commitment.id,
        amount=1_000,
    )
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(client, LOG, {"filter": {"kind": "Commitment"}}, headers=KOREAN)
    top_up = next(n for n in data["auditLog"]["nodes"] if n["what"] == "예산 증액")
    assert top_up["who"] == "김협력" and top_up["organization"] == "삼성전자"
    assert {"field": "예산", "before": "3,000,000원", "after": "3,001,000원"} in top_up["changes"]
    assert top_up["at"].endswith("+09:00")
    await sign_in_as(client, world.admin.email, world.admin.password)
    download = await client.get("/audit.csv?kind=Commitment")
    assert download.status_code == 200, download.text[-3000:]
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["일시", "처리자", "역할"]
    assert any(r[4] == "예산 증액" and r[6:] == ["예산", "3,000,000원", "3,001,000원"] for r in rows[1:])


async def test_the_model_refuses_to_edit_or_delete_an_entry(world: World) -> None:
    """Rule: an audit entry, once written, cannot be saved again or deleted through the ORM."""
    await costs.commitment(world.samsung_coordinator)
    entry = await AuditEntry.first()
    assert entry is not None
    entry.action = "nothing.happened"
    with pytest.raises(PermissionError):
        await entry.save()
    with pytest.raises(PermissionError):
        await entry.delete()
    assert (await AuditEntry.get(id=entry.id)).action != "nothing.happened"


def test_no_product_path_updates_or_deletes_audit_entries() -> None:
    """Rule: outside the removal of a person at their request (the law's erasure), no module of the product
    calls update or delete on AuditEntry rows: no mutation or route can change the trail."""
    offenders = []
    for path in [
        *ROOT.glob("server/**/*.py"),
        *ROOT.glob("schema/**/*.py"),
        *ROOT.glob("frontend/**/*.py"),
        *ROOT.glob("web/**/*.py"),
    ]:
        if path.name == "removal.py" and path.parent.name == "privacy":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("update", "delete", "select_for_update"):
                text = ast.unparse(node.value)
                if "AuditEntry" in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {text}.{node.attr}")
    assert offenders == []
    # and the check itself sees such a call
    tree = ast.parse("AuditEntry.filter(id=1).update(action='x')")
    assert any(
        isinstance(n, ast.Attribute) and n.attr == "update" and "AuditEntry" in ast.unparse(n.value)
        for n in ast.walk(tree)
    )
