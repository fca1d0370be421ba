"""The declaration as a document: versioned texts with four pledges in Korean and English, published by the
secretariat; each signing printable and downloadable as a PDF of the text it signed; signatories in order."""

from __future__ import annotations

import io
from datetime import date

import httpx
from pypdf import PdfReader

from server.membership import organizations
from server.models import DeclarationSigning, RoleKind
from server.platform.actor import Actor
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, sign_in_page, submit
from tests.support.world import World

TEXT = """query($v: String) { declarationText(version: $v) {
  version titleKo titleEn bodyKo bodyEn pledges { ko en } publishedAt } }"""
PUBLISH = """mutation($input: DeclarationTextInput!) { publishDeclarationText(input: $input) {
  text { version pledges { ko } } errors { field code message } } }"""
SIGNATORIES = "{ declarationSignatories(first: 10) { totalCount nodes { nameKo signedOn } } }"
PLEDGES = [{"ko": f"서약 {n}", "en": f"Pledge {n}"} for n in range(1, 5)]
NEW = {"version": "2026-12", "titleKo": "중소기업 기술보호 선언 (개정)", "titleEn": "Declaration (revised)",
       "bodyKo": "개정된 본문", "bodyEn": "The revised text", "pledges": PLEDGES}  # fmt: skip


async def _sign(world: World, organization_id: int, on: date, *, reaffirm: bool = False) -> None:
    admin = Actor(world.admin.user, world.secretariat, RoleKind.SECRETARIAT)
    record = organizations.reaffirm_declaration if reaffirm else organizations.sign_declaration
    await record(
        actor=admin,
        organization_id=organization_id,
        signed_on=on,
        signer_name="홍길동",
        signer_title="대표이사",
        pledges=(True, True, True, True),
    )


async def test_the_2011_text_is_version_one_with_four_pledges_in_both_languages(
    client: httpx.AsyncClient, world: World
) -> None:
    text = (await gql(client, TEXT))["declarationText"]  # public: no sign-in
    assert text["version"] == "2011-11" and text["publishedAt"] is None
    assert text["titleKo"] == "중소기업 기술보호 선언"
    assert len(text["pledges"]) == 4 and all(p["ko"] and p["en"] for p in text["pledges"])
    assert (await gql(client, TEXT, {"v": "1999-01"}))["declarationText"] is None


async def test_the_secretariat_publishes_a_version_and_members_reaffirm_it_as_a_new_record(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sign(world, world.samsung.id, date(2011, 11, 1))
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = (await gql(client, PUBLISH, {"input": NEW}))["publishDeclarationText"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"

    await sign_in(client, world.admin.email, world.admin.password)
    short = (await gql(client, PUBLISH, {"input": {**NEW, "pledges": PLEDGES[:3]}}))["publishDeclarationText"]
    assert short["errors"][0]["field"] == "pledges"
    done = (await gql(client, PUBLISH, {"input": NEW}))["publishDeclarationText"]
    assert done == {
        "text": {"version": "2026-12", "pledges": [{"ko": p["ko"]} for p in PLEDGES]},
        "errors": [],
    }
    again = (await gql(client, PUBLISH, {"input": NEW}))["publishDeclarationText"]
    assert again["errors"][0]["code"] == "DUPLICATE"
    assert (await gql(client, TEXT))["declarationText"]["version"] == "2026-12"
    assert (await gql(client, TEXT, {"v": "2011-11"}))["declarationText"]["titleEn"].startswith(
        "SME Technology"
    )

    await _sign(world, world.samsung.id, date(2026, 12, 1), reaffirm=True)
    versions = await DeclarationSigning.filter(organization_id=world.samsung.id).order_by("id")
    assert [(s.kind.value, s.text_version) for s in versions] == [
        ("signing", "2011-11"),  # kept as signed
        ("reaffirmation", "2026-12"),
    ]


async def test_the_signatories_are_listed_in_order_of_signing(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sign(world, world.samsung.id, date(2013, 5, 2))
    await _sign(world, world.lg.id, date(2011, 11, 1))
    await _sign(world, world.samsung.id, date(2020, 1, 1), reaffirm=True)  # not a second entry
    listed = (await gql(client, SIGNATORIES))["declarationSignatories"]
    assert listed == {
        "totalCount": 2,
        "nodes": [
            {"nameKo": "LG전자", "signedOn": "2011-11-01"},
            {"nameKo": "삼성전자", "signedOn": "2013-05-02"},
        ],
    }
    page = await client.get("/declaration")
    assert page.status_code == 200 and page.text.index("LG전자") < page.text.index("삼성전자")


async def test_a_signing_is_a_printable_page_and_a_pdf_of_the_text_it_signed(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sign(world, world.samsung.id, date(2011, 11, 1))
    signing = await DeclarationSigning.get(organization_id=world.samsung.id)
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    printable = await client.get(f"/declaration/signings/{signing.id}")
    assert printable.status_code == 200 and "삼성전자" in printable.text and "홍길동" in printable.text
    pdf = await client.get(f"/declaration/signings/{signing.id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1  # one page
    words = reader.pages[0].extract_text()
    assert "삼성전자" in words and "2011-11" in words and "홍길동" in words and "124-81" in words

    await sign_in_as(client, world.lg_coordinator.email, world.lg_coordinator.password)
    assert (await client.get(f"/declaration/signings/{signing.id}")).status_code == 404
    assert (await client.get(f"/declaration/signings/{signing.id}/pdf")).status_code == 404


async def test_the_publish_page_publishes_and_refuses_on_the_form(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    form = {
        "version": "2026-12",
        "title_ko": "제목",
        "title_en": "Title",
        "body_ko": "본문",
        "body_en": "Text",
    }
    pledges = {f"pledge_{n}_{lang}": f"{lang} {n}" for n in range(1, 5) for lang in ("ko", "en")}
    refused = await submit(
        client, "/declaration/publish", "/declaration/publish", {**form, "pledge_2_en": ""}
    )
    assert refused.status_code == 400
    done = await submit(client, "/declaration/publish", "/declaration/publish", {**form, **pledges})
    assert done.status_code == 303
    assert "2026-12" in (await client.get("/declaration")).text
