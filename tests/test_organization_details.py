"""An organisation's details are edited by the secretariat or its own managers, each change audited with
before and after; an SME enrolled by a sponsor fills in its details when it accepts."""

from __future__ import annotations

import httpx

from server.models import AuditEntry, Invitation, Organization, RoleKind
from server.platform.tokens import digest
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page, submit
from tests.support.world import World, person

UPDATE = """mutation($id: Int!, $input: OrganizationDetailsInput!) {
  updateOrganization(organizationId: $id, input: $input) {
    organization { nameKo nameEn sector representativeName address contactName contactEmail contactPhone }
    errors { field code message } } }"""


async def test_its_own_coordinator_edits_the_details_and_the_audit_keeps_before_and_after(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    changes = {
        "representativeName": "한종희",
        "address": "경기도 수원시 영통구 삼성로 129",
        "contactEmail": "Club@Samsung.test",
    }
    done = (await gql(client, UPDATE, {"id": world.samsung.id, "input": changes}))["updateOrganization"]
    assert done["errors"] == []
    assert done["organization"] == {
        "nameKo": "삼성전자",  # untouched: only the fields given change
        "nameEn": "Samsung Electronics",
        "sector": "",
        "representativeName": "한종희",
        "address": "경기도 수원시 영통구 삼성로 129",
        "contactName": "",
        "contactEmail": "club@samsung.test",
        "contactPhone": "",
    }
    renamed = await gql(client, UPDATE, {"id": world.samsung.id, "input": {"nameKo": "삼성전자 주식회사"}})
    assert renamed["updateOrganization"]["errors"] == []
    entries = await AuditEntry.filter(action="organization.update").order_by("id")
    assert [(e.before, e.after) for e in entries] == [
        (
            {"representative_name": "", "address": "", "contact_email": ""},
            {
                "representative_name": "한종희",
                "address": "경기도 수원시 영통구 삼성로 129",
                "contact_email": "club@samsung.test",
            },
        ),
        ({"name_ko": "삼성전자"}, {"name_ko": "삼성전자 주식회사"}),
    ]
    assert entries[0].actor_id == world.samsung_coordinator.user.id


async def test_others_cannot_edit_and_a_bad_value_changes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    other = (await gql(client, UPDATE, {"id": world.samsung.id, "input": {"sector": "가전"}}))[
        "updateOrganization"
    ]
    assert other["errors"][0]["code"] == "NOT_FOUND"  # not theirs answers like missing
    await person("staff@samsung.test", world.samsung, RoleKind.STAFF)
    await sign_in(client, "staff@samsung.test", world.samsung_coordinator.password)
    staff = (await gql(client, UPDATE, {"id": world.samsung.id, "input": {"sector": "가전"}}))[
        "updateOrganization"
    ]
    assert staff["errors"][0]["code"] == "NOT_FOUND"  # staff manage nothing

    await sign_in(client, world.admin.email, world.admin.password)
    bad = (
        await gql(client, UPDATE, {"id": world.samsung.id, "input": {"nameKo": " ", "contactEmail": "nope"}})
    )["updateOrganization"]
    assert {e["field"] for e in bad["errors"]} == {"nameKo", "contactEmail"}
    assert (await Organization.get(id=world.samsung.id)).name_ko == "삼성전자"
    done = (await gql(client, UPDATE, {"id": world.hanbit.id, "input": {"sector": "정밀가공"}}))[
        "updateOrganization"
    ]
    assert done["organization"]["sector"] == "정밀가공"  # the secretariat edits any organisation
    assert not await AuditEntry.filter(action="organization.update", record_id=str(world.samsung.id)).exists()


async def test_the_page_edits_the_details_and_shows_a_refusal_on_the_form(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = f"/organizations/{world.hanbit.id}"
    values = {"name_ko": "한빛정밀", "name_en": "", "sector": "정밀가공", "representative_name": "이한빛",
              "address": "", "contact_name": "", "contact_email": "", "contact_phone": ""}  # fmt: skip
    done = await submit(client, page, f"{page}/details", values)
    assert done.status_code == 303
    hanbit = await Organization.get(id=world.hanbit.id)
    assert (hanbit.sector, hanbit.representative_name, hanbit.name_en) == ("정밀가공", "이한빛", None)
    refused = await submit(client, page, f"{page}/details", {**values, "contact_email": "nope"})
    assert refused.status_code == 400 and "올바른 이메일" in refused.text


async def test_an_enrolled_sme_fills_in_its_details_when_it_accepts_and_lands_on_what_to_do_next(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: the first representative of an SME a sponsor enrolled completes its details on the accept page,
    then sees what the club offers, linked only to pages that exist."""
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    invited = await gql(
        client,
        """mutation { invitePartner(businessNumber: "214-86-00016", nameKo: "세진테크", tier: SECOND,
           contactEmail: "ceo@sejin.test") { errors { code } } }""",
    )
    assert invited["invitePartner"]["errors"] == []
    invitation = await Invitation.get(email="ceo@sejin.test")
    await Invitation.filter(id=invitation.id).update(token_hash=digest("sejin-secret"))
    client.cookies.clear()
    link = "/invitations/sejin-secret"
    page = await client.get(link)
    assert 'name="representative_name"' in page.text and 'name="sector"' in page.text
    accepted = await submit(
        client,
        link,
        link,
        {
            "name": "세진 대표",
            "password": "sejin-password",
            "privacy_notice_version": "1",  # the consent the page asks for
            "decision": "accept",
            "sector": "금형",
            "representative_name": "오세진",
            "address": "경기도 안산시 단원구",
        },
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/welcome"
    sejin = await Organization.get(business_number="2148600016")
    assert (sejin.sector, sejin.representative_name, sejin.address) == (
        "금형",
        "오세진",
        "경기도 안산시 단원구",
    )
    welcome = await client.get("/welcome")
    for path in ("/diagnosis", "/commitments", "/seminars", f"/organizations/{sejin.id}"):
        assert f'href="{path}"' in welcome.text
    assert 'href="/protection"' in welcome.text  # the protection desk, now that it has a page
