"""Signing the 2011 declaration is a record: kept as signed; a later re-affirmation is a new record beside it."""

from __future__ import annotations

import httpx

from server.models import AuditEntry, ClubMembership
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page, submit
from tests.support.world import World

SIGNINGS = """declarationSignedOn
    declarationSignings { kind signedOn signerName signerTitle textVersion recordedBy
      pledgePartnership pledgeInfrastructure pledgeFairDealing pledgeAwareness }"""
ARGS = "$id: Int!, $on: Date!, $name: String!, $title: String!, $pledges: PledgesInput!"
PARAMS = "organizationId: $id, signedOn: $on, signerName: $name, signerTitle: $title, pledges: $pledges"
SIGN = f"""mutation({ARGS}) {{ signDeclaration({PARAMS}) {{
  membership {{ {SIGNINGS} }} errors {{ field code message }} }} }}"""
REAFFIRM = f"""mutation({ARGS}) {{ reaffirmDeclaration({PARAMS}) {{
  membership {{ {SIGNINGS} }} errors {{ field code message }} }} }}"""
ALL = {"partnership": True, "infrastructure": True, "fairDealing": True, "awareness": True}
FIRST = {"on": "2011-11-01", "name": "홍길동", "title": "대표이사", "pledges": ALL}
LATER = {"on": "2024-03-02", "name": "김철수", "title": "부사장", "pledges": ALL}


def record(kind: str, values: dict[str, object], by: str) -> dict[str, object]:
    return {
        "kind": kind,
        "signedOn": values["on"],
        "signerName": values["name"],
        "signerTitle": values["title"],
        "textVersion": "2011-11",
        "recordedBy": by,
        "pledgePartnership": True,
        "pledgeInfrastructure": True,
        "pledgeFairDealing": True,
        "pledgeAwareness": True,
    }


async def test_a_signed_declaration_is_never_signed_over(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    signed = (await gql(client, SIGN, {"id": world.samsung.id, **FIRST}))["signDeclaration"]
    original = record("SIGNING", FIRST, "김협력")
    assert signed["membership"] == {"declarationSignedOn": "2011-11-01", "declarationSignings": [original]}

    await sign_in(client, world.admin.email, world.admin.password)
    again = (await gql(client, SIGN, {"id": world.samsung.id, **LATER}))["signDeclaration"]
    assert again["errors"][0]["code"] == "INVALID_STATE" and again["membership"] is None
    kept = await gql(
        client,
        f"query($id: Int!) {{ organization(id: $id) {{ membership {{ {SIGNINGS} }} }} }}",
        {"id": world.samsung.id},
    )
    assert kept["organization"]["membership"] == {
        "declarationSignedOn": "2011-11-01",
        "declarationSignings": [original],
    }
    assert await AuditEntry.filter(action__startswith="declaration.").count() == 1


async def test_a_reaffirmation_is_a_new_record_beside_the_first_signing(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    early = (await gql(client, REAFFIRM, {"id": world.samsung.id, **LATER}))["reaffirmDeclaration"]
    assert early["errors"][0]["code"] == "INVALID_STATE"  # nothing to re-affirm yet
    await gql(client, SIGN, {"id": world.samsung.id, **FIRST})
    partial = (
        await gql(
            client, REAFFIRM, {"id": world.samsung.id, **LATER, "pledges": {**ALL, "fairDealing": False}}
        )
    )["reaffirmDeclaration"]
    assert partial["errors"][0]["field"] == "pledges"

    await sign_in(client, world.admin.email, world.admin.password)
    done = (await gql(client, REAFFIRM, {"id": world.samsung.id, **LATER}))["reaffirmDeclaration"]
    assert done["membership"] == {
        "declarationSignedOn": "2011-11-01",  # the first signing's date
        "declarationSignings": [
            record("SIGNING", FIRST, "김협력"),
            record("REAFFIRMATION", LATER, "사무국 관리자"),
        ],
    }
    entries = await AuditEntry.filter(action__startswith="declaration.").order_by("id")
    assert [(e.action, e.after["signer_name"], e.after["signed_on"]) for e in entries] == [
        ("declaration.sign", "홍길동", "2011-11-01"),
        ("declaration.reaffirm", "김철수", "2024-03-02"),
    ]
    assert (await ClubMembership.get(organization_id=world.samsung.id)).declaration_signed_on.isoformat() == (
        "2011-11-01"
    )


async def test_the_page_shows_the_signing_history_and_offers_only_a_reaffirmation_once_signed(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = f"/organizations/{world.samsung.id}"
    pledges = {
        k: "on"
        for k in ("pledge_partnership", "pledge_infrastructure", "pledge_fair_dealing", "pledge_awareness")
    }
    first = {"signed_on": "2011-11-01", "signer_name": "홍길동", "signer_title": "대표이사", **pledges}
    assert (await submit(client, page, f"{page}/declaration", first)).status_code == 303
    shown = (await client.get(page)).text
    assert "2011-11-01 서명" in shown and "재확인" in shown

    over = await submit(client, page, f"{page}/declaration", {**first, "signed_on": "2012-01-01"})
    assert over.status_code == 400
    later = {"signed_on": "2024-03-02", "signer_name": "김철수", **pledges, "reaffirm": "yes"}
    assert (await submit(client, page, f"{page}/declaration", later)).status_code == 303
    history = (await client.get(page)).text
    assert "2011-11-01 서명" in history and "김철수" in history and "2012-01-01" not in history
