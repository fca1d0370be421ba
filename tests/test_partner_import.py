"""A coordinator uploads its supplier list: every row is checked first, then the valid new ones are invited once."""

from __future__ import annotations

import base64
import re

import httpx

from server.models import ImportStatus, Invitation, OutgoingMail, PartnerImport, Partnership
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, sign_in_page
from tests.support.spreadsheets import csv_bytes, partner_rows, xlsx_bytes
from tests.support.world import World

PREVIEW = """
mutation P($name: String!, $content: String!) {
  previewPartnerImport(filename: $name, contentBase64: $content) {
    partnerImport { id status newCount existingCount invalidCount
      rows(outcome: "invalid") { nodes { row businessNumber errors { field code message } } } }
    errors { field code message }
  }
}
"""
COMMIT = "mutation C($id: Int!) { commitPartnerImport(importId: $id) { partnerImport { status processedCount } errors { code } } }"


async def _preview(client: httpx.AsyncClient, name: str, content: bytes) -> dict:
    data = await gql(client, PREVIEW, {"name": name, "content": base64.b64encode(content).decode()})
    return dict(data["previewPartnerImport"])


async def test_every_row_is_checked_and_explained_before_anything_is_sent(
    client: httpx.AsyncClient, world: World
) -> None:
    good = partner_rows(3)
    hanbit = world.hanbit.business_number or ""
    rows = [
        *good,
        good[0],  # the same company twice
        ["134-86-72684", "오타전자", "1", "a@a.test"],  # wrong check digit
        ["134-86-72683", "이메일없음", "2", "not-an-email"],
        ["214-86-00016", "차수모름", "3차", "b@b.test"],
        [hanbit, "한빛정밀", "1", "rep@hanbit.test"],  # already Samsung's partner
        [world.lg.business_number or "", "LG전자", "1", "c@c.test"],  # a conglomerate
    ]
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    preview = (await _preview(client, "협력사.csv", csv_bytes(rows)))["partnerImport"]
    assert (preview["newCount"], preview["existingCount"], preview["invalidCount"]) == (3, 1, 5)
    problems = {r["row"]: [(e["field"], e["code"]) for e in r["errors"]] for r in preview["rows"]["nodes"]}
    assert problems == {
        5: [("businessNumber", "DUPLICATE")],
        6: [("businessNumber", "INVALID")],
        7: [("contactEmail", "INVALID")],
        8: [("tier", "INVALID")],
        10: [("businessNumber", "INVALID")],
    }
    assert await Partnership.all().count() == 1 and not await OutgoingMail.exists()


async def test_committing_invites_the_new_rows_once_even_when_the_file_comes_again(
    client: httpx.AsyncClient, world: World
) -> None:
    content = xlsx_bytes(partner_rows(7))
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    first = (await _preview(client, "partners.xlsx", content))["partnerImport"]
    committed = await gql(client, COMMIT, {"id": first["id"]})
    assert committed["commitPartnerImport"]["partnerImport"] == {"status": "COMMITTED", "processedCount": 7}
    again_commit = await gql(client, COMMIT, {"id": first["id"]})
    assert again_commit["commitPartnerImport"]["partnerImport"]["status"] == "COMMITTED"
    second = (await _preview(client, "partners.xlsx", content))["partnerImport"]
    assert (second["newCount"], second["existingCount"]) == (0, 7)
    await gql(client, COMMIT, {"id": second["id"]})
    assert await Partnership.all().count() == 8
    assert await Invitation.all().count() == 7 and await OutgoingMail.all().count() == 7


async def test_a_file_that_is_not_a_partner_list_gets_a_clear_error(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    wrong_columns = await _preview(client, "list.csv", "이름,전화\n홍길동,010".encode())
    assert (
        wrong_columns["errors"][0]["field"] == "file"
        and "사업자등록번호" in wrong_columns["errors"][0]["message"]
    )
    not_a_sheet = await _preview(client, "list.pdf", b"%PDF-1.4")
    assert not_a_sheet["errors"][0]["message"] == "Upload a .csv or .xlsx file."
    broken = await _preview(client, "list.xlsx", b"PK\x03\x04 not really")
    assert broken["errors"][0]["message"] == "This .xlsx file could not be opened."
    assert not await PartnerImport.exists()


async def test_only_the_uploading_conglomerate_sees_and_commits_its_import(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    preview = (await _preview(client, "p.csv", csv_bytes(partner_rows(2))))["partnerImport"]
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    stolen = await gql(client, COMMIT, {"id": preview["id"]})
    assert stolen["commitPartnerImport"]["errors"] == [{"code": "NOT_FOUND"}]
    peek = await client.post(
        "/graphql",
        json={
            "query": "query I($id: Int!) { partnerImport(id: $id) { id } }",
            "variables": {"id": preview["id"]},
        },
    )
    assert peek.json()["data"] == {"partnerImport": None}
    assert (await client.get(f"/partners/import/{preview['id']}")).status_code == 404
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await _preview(client, "p.csv", csv_bytes(partner_rows(2))))["errors"][0]["code"] == "FORBIDDEN"
    assert (await PartnerImport.get(id=preview["id"])).status == ImportStatus.PREVIEWED


async def test_five_thousand_partners_preview_and_commit_through_the_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    form = await client.get("/partners/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    upload = await client.post(
        "/partners/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("협력사명단.csv", csv_bytes(partner_rows(5000)), "text/csv")},
    )
    assert upload.status_code == 303
    preview = await client.get(upload.headers["location"])
    assert "초대 메일 5000건 보내기" in preview.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', preview.text)
    assert token
    committed = await client.post(f"{upload.headers['location']}/commit", data={"csrf_token": token.group(1)})
    assert committed.status_code == 303
    done = await client.get(upload.headers["location"])
    assert "완료: 초대 메일 5000건을 보냈습니다" in done.text
    assert await Partnership.filter(conglomerate_id=world.samsung.id).count() == 5001
    assert await OutgoingMail.all().count() == 5000


async def test_a_file_with_a_nul_character_is_refused_clearly_at_both_doors(
    client: httpx.AsyncClient, world: World
) -> None:
    rows = partner_rows(3)
    rows[1][1] = "협력\x00사"
    content = csv_bytes(rows, encoding="utf-8")
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = await _preview(client, "협력사.csv", content)
    assert refused["errors"][0]["field"] == "file" and "3" in refused["errors"][0]["message"]
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    form = await client.get("/partners/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    upload = await client.post(
        "/partners/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("협력사.csv", content, "text/csv")},
    )
    assert upload.status_code == 400 and "3" in upload.text
    named = await client.post(
        "/partners/import",
        data={"csrf_token": token.group(1)},
        files={"file": ("a\x00.csv", content, "text/csv")},
    )
    assert named.status_code == 400
    assert not await PartnerImport.exists()
