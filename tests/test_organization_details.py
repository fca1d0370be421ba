"""An organisation's details are edited by the secretariat or its own managers, each change audited with
before and after; an SME enrolled by a sponsor fills in its details when it accepts."""

from __future__ import annotations

import httpx

from server.models import AuditEntry, Organization, RoleKind
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
