"""A coordinator enrols partner SMEs; the SME accepts or declines; either side sees only its own."""

from __future__ import annotations

import csv
import io

import httpx

from server.models import (
    AuditEntry,
    Invitation,
    Organization,
    OrganizationStatus,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
)
from server.platform.outbox import MailWorker
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page, submit
from tests.support.queries import QueryCounter
from tests.support.smtp import SmtpServer
from tests.support.world import World, organization, person

INVITE = """
mutation Invite($number: String!, $name: String!, $tier: SupplierTier!, $email: String!) {
  invitePartner(businessNumber: $number, nameKo: $name, tier: $tier, contactEmail: $email) {
    partnership { id status tier contactEmail sme { id nameKo businessNumber } conglomerate { nameKo } }
    errors { field code message }
  }
}
"""
SEJIN = {"number": "214-86-00016", "name": "세진테크", "tier": "SECOND", "email": "ceo@sejin.test"}


async def _invite(client: httpx.AsyncClient, world: World, **changes: str) -> dict:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    data = await gql(client, INVITE, {**SEJIN, **changes})
    return dict(data["invitePartner"])


async def test_a_coordinator_invites_a_new_sme_and_its_contact_accepts_from_the_mail(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    invited = await _invite(client, world)
    assert invited["errors"] == []
    assert invited["partnership"]["status"] == "INVITED" and invited["partnership"]["tier"] == "SECOND"
    assert invited["partnership"]["sme"]["businessNumber"] == "214-86-00016"
    sejin = await Organization.get(business_number="2148600016")
    assert sejin.status == OrganizationStatus.PENDING

    await mail_worker.run_once()
    [mail] = smtp.inbox.to("ceo@sejin.test")
    assert "삼성전자" in mail["Subject"] and "2차 협력사" in mail.get_content()
    link = smtp.inbox.link_in(mail, "/invitations/").removeprefix("http://testserver")
    await gql(client, "mutation { signOut { signedOut } }")
    page = await client.get(link)
    assert ("삼성전자" in page.text and "2차 협력사" not in page.text) or "협력사" in page.text
    accepted = await submit(
        client, link, link, {"name": "세진 대표", "password": "sejin-password", "decision": "accept"}
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/welcome"

    partnership = await Partnership.get(sme_id=sejin.id)
    assert partnership.status == PartnershipStatus.ACTIVE and partnership.accepted_at is not None
    assert (await Organization.get(id=sejin.id)).status == OrganizationStatus.ACTIVE
    assert await Role.exists(
        user__email="ceo@sejin.test", organization_id=sejin.id, kind=RoleKind.SME_REPRESENTATIVE
    )
    assert await OutgoingMail.exists(recipient=world.samsung_coordinator.email, subject__contains="수락")
    assert [e.action for e in await AuditEntry.filter(record_type="Partnership").order_by("id")] == [
        "partnership.invite",
        "partnership.accept",
    ]


async def test_an_sme_already_on_the_platform_is_linked_not_created_again(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    number = world.hanbit.business_number
    assert number
    data = await gql(client, INVITE, {**SEJIN, "number": number, "name": "다른 이름"})
    assert data["invitePartner"]["partnership"]["sme"]["id"] == world.hanbit.id
    assert await Organization.filter(business_number=number).count() == 1
    assert (await Organization.get(id=world.hanbit.id)).name_ko == "한빛정밀"


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    client: httpx.AsyncClient, world: World
) -> None:
    data = await _invite(client, world, number="214-86-00017", name=" ", email="not-an-email")
    assert {(e["field"], e["code"]) for e in data["errors"]} == {
        ("businessNumber", "INVALID"),
        ("name", "REQUIRED"),
        ("contactEmail", "INVALID"),
    }
    conglomerate = await _invite(client, world, number=world.lg.business_number or "")
    assert (
        conglomerate["errors"][0]["message"]
        == "This business number belongs to a member conglomerate, not an SME."
    )
    assert await Partnership.all().count() == 1 and not await Invitation.exists()


async def test_the_same_sme_cannot_be_invited_twice(client: httpx.AsyncClient, world: World) -> None:
    assert (await _invite(client, world))["errors"] == []
    again = await gql(client, INVITE, SEJIN)
    assert again["invitePartner"]["errors"][0]["code"] == "DUPLICATE"
    assert await Partnership.filter(sme__business_number="2148600016").count() == 1


DECIDE = """
mutation Decide($id: Int!) {
  accepted: acceptPartnership(partnershipId: $id) { partnership { status } errors { code } }
}
"""


async def test_an_sme_declines_and_the_coordinator_hears_why(client: httpx.AsyncClient, world: World) -> None:
    data = await _invite(client, world, number=world.hanbit.business_number or "", name="한빛정밀")
    assert data["errors"][0]["code"] == "DUPLICATE"  # already Samsung's partner
    lg_partner = await Partnership.create(
        conglomerate=world.lg,
        sme=world.hanbit,
        tier=1,
        contact_email="rep@hanbit.test",
        invited_by=world.lg_coordinator.user,
    )
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    declined = await gql(
        client,
        'mutation D($id: Int!) { declinePartnership(partnershipId: $id, reason: "거래 종료 예정") { partnership { status endReason } } }',
        {"id": lg_partner.id},
    )
    assert declined["declinePartnership"]["partnership"] == {"status": "ENDED", "endReason": "거래 종료 예정"}
    assert await OutgoingMail.exists(recipient=world.lg_coordinator.email, body__contains="거래 종료 예정")
    again = await gql(client, DECIDE, {"id": lg_partner.id})
    assert again["accepted"]["errors"] == [{"code": "INVALID_STATE"}]


END = "mutation E($id: Int!, $reason: String!) { endPartnership(partnershipId: $id, reason: $reason) { partnership { status endReason } errors { field code } } }"


async def test_an_ended_partnership_keeps_its_history_and_re_opens_on_a_new_invitation(
    client: httpx.AsyncClient, world: World
) -> None:
    partnership = await Partnership.get(sme_id=world.hanbit.id)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    no_reason = await gql(client, END, {"id": partnership.id, "reason": " "})
    assert no_reason["endPartnership"]["errors"] == [{"field": "reason", "code": "REQUIRED"}]
    ended = await gql(client, END, {"id": partnership.id, "reason": "계약 만료"})
    assert ended["endPartnership"]["partnership"] == {"status": "ENDED", "endReason": "계약 만료"}
    assert await OutgoingMail.exists(recipient=partnership.contact_email, subject__contains="종료")

    reinvited = await gql(
        client, INVITE, {**SEJIN, "number": world.hanbit.business_number, "name": "한빛정밀", "tier": "FIRST"}
    )
    assert reinvited["invitePartner"]["partnership"]["id"] == partnership.id
    assert reinvited["invitePartner"]["partnership"]["status"] == "INVITED"
    actions = [
        e.action
        for e in await AuditEntry.filter(record_type="Partnership", record_id=str(partnership.id)).order_by(
            "id"
        )
    ]
    assert actions == ["partnership.end", "partnership.reopen"]
    reopen = await AuditEntry.get(action="partnership.reopen")
    assert reopen.before and reopen.before["end_reason"] == "계약 만료"


async def test_every_partner_operation_answers_not_found_across_tenants(
    client: httpx.AsyncClient, world: World
) -> None:
    samsung_hanbit = await Partnership.get(sme_id=world.hanbit.id)
    other_sme = await organization(
        __import__("server.models").models.OrganizationKind.SME, "미래소재", "312860001"
    )
    other_rep = await person("rep@mirae.test", other_sme, RoleKind.SME_REPRESENTATIVE)
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    assert (await gql(client, END, {"id": samsung_hanbit.id, "reason": "x"}))["endPartnership"]["errors"][0][
        "code"
    ] == "NOT_FOUND"
    assert (await gql(client, "{ partners { totalCount } }"))["partners"]["totalCount"] == 0
    assert (await gql(client, DECIDE, {"id": samsung_hanbit.id}))["accepted"]["errors"] == [
        {"code": "NOT_FOUND"}
    ]
    seen = await gql(
        client,
        "query O($id: Int!) { organization(id: $id) { partnerships { totalCount } } }",
        {"id": world.samsung.id},
    )
    assert seen["organization"] is None

    await sign_in(client, other_rep.email, other_rep.password)
    assert (await gql(client, DECIDE, {"id": samsung_hanbit.id}))["accepted"]["errors"] == [
        {"code": "NOT_FOUND"}
    ]
    assert (await gql(client, INVITE, SEJIN))["invitePartner"]["errors"] == [
        {"field": None, "code": "FORBIDDEN", "message": "You may not do this."}
    ]
    assert (await Partnership.get(id=samsung_hanbit.id)).status == PartnershipStatus.ACTIVE


async def test_each_side_sees_the_partnership_from_its_own_organisation(
    client: httpx.AsyncClient, world: World
) -> None:
    query = "query O($id: Int!) { organization(id: $id) { partnerships { totalCount nodes { sme { nameKo } conglomerate { nameKo } } } } }"
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    mine = await gql(client, query, {"id": world.hanbit.id})
    assert mine["organization"]["partnerships"]["nodes"] == [
        {"sme": {"nameKo": "한빛정밀"}, "conglomerate": {"nameKo": "삼성전자"}}
    ]
    await sign_in(client, world.admin.email, world.admin.password)
    totals = await gql(client, "{ partnershipTotals { conglomerate { nameKo } invited active ended } }")
    assert {"conglomerate": {"nameKo": "삼성전자"}, "invited": 0, "active": 1, "ended": 0} in totals[
        "partnershipTotals"
    ]


LIST = """
query Partners($first: Int, $after: String, $order: PartnerOrder!, $search: String, $tier: SupplierTier) {
  partners(first: $first, after: $after, orderBy: $order, search: $search, tier: $tier) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id tier status sme { nameKo businessNumber } conglomerate { nameKo } }
  }
}
"""


async def _many_partners(world: World, n: int) -> None:
    from server.membership.business_number import complete
    from server.models import OrganizationKind

    smes = [
        Organization(
            kind=OrganizationKind.SME,
            name_ko=f"협력사 {i:03d}",
            business_number=complete(f"21486{i + 1:04d}"),
        )
        for i in range(n)
    ]
    await Organization.bulk_create(smes)
    for i, sme in enumerate(await Organization.filter(name_ko__startswith="협력사 ").order_by("name_ko")):
        await Partnership.create(
            conglomerate=world.samsung,
            sme=sme,
            tier=1 + i % 2,
            contact_email=f"c{i}@sme.test",
            status="active",
        )


async def test_the_partner_list_sorts_filters_and_pages_through_everything_once(
    client: httpx.AsyncClient, world: World
) -> None:
    await _many_partners(world, 23)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    names: list[str] = []
    after = None
    while True:
        page = (await gql(client, LIST, {"first": 10, "after": after, "order": "NAME"}))["partners"]
        names += [n["sme"]["nameKo"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == 24 and names == sorted(names) and len(set(names)) == 24
    second_tier = (await gql(client, LIST, {"first": 50, "order": "NEWEST", "tier": "SECOND"}))["partners"]
    assert second_tier["totalCount"] == 11 and {n["tier"] for n in second_tier["nodes"]} == {"SECOND"}
    found = (await gql(client, LIST, {"first": 50, "order": "NEWEST", "search": "협력사 01"}))["partners"]
    assert found["totalCount"] == 10


EDGES = """query($after: String) { partners(first: 4, after: $after, orderBy: NAME) {
  pageInfo { startCursor endCursor } nodes { id } edges { cursor node { id sme { nameKo } } } } }"""


async def test_each_edge_of_the_partner_list_carries_the_cursor_that_pages_after_its_partner(
    client: httpx.AsyncClient, world: World
) -> None:
    await _many_partners(world, 9)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = (await gql(client, EDGES))["partners"]
    edges = page["edges"]
    assert [e["node"]["id"] for e in edges] == [n["id"] for n in page["nodes"]]
    assert page["pageInfo"] == {"startCursor": edges[0]["cursor"], "endCursor": edges[-1]["cursor"]}
    after_second = (await gql(client, EDGES, {"after": edges[1]["cursor"]}))["partners"]["edges"]
    assert [e["node"] for e in after_second[:2]] == [e["node"] for e in edges[2:]]


async def test_the_partner_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    await _many_partners(world, 60)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    counts = {}
    for size in (5, 50):
        queries.reset()
        data = await gql(client, LIST, {"first": size, "order": "NAME"})
        assert len(data["partners"]["nodes"]) == size
        counts[f"graphql {size}"] = queries.count
    queries.reset()
    assert (await client.get("/partners")).status_code == 200
    counts["page 50"] = queries.count
    # actor, then the page with its SMEs, the count and each partner's claim figures in one statement
    # (server/membership/partner_rows.py); GraphQL adds one batch for the conglomerate
    assert counts == {"graphql 5": 3, "graphql 50": 3, "page 50": 2}


async def test_the_partner_list_downloads_as_csv_that_excel_reads_in_korean(
    client: httpx.AsyncClient, world: World
) -> None:
    await _many_partners(world, 120)
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    response = await client.get("/partners/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["사업자등록번호", "기업명", "영문명"]
    assert len(rows) == 1 + 121
    assert [r[1] for r in rows if r[1] == "한빛정밀"] == ["한빛정밀"]


async def test_the_partner_list_dates_an_invitation_in_seoul_and_groups_amounts_by_thousands(
    client: httpx.AsyncClient, world: World
) -> None:
    from datetime import UTC, datetime

    # 23:30 on the last evening of February in Seoul is still the afternoon of the 28th in UTC.
    late = datetime(2026, 2, 28, 14, 30, tzinfo=UTC)
    await Partnership.filter(conglomerate=world.samsung).update(invited_at=late)
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = await client.get("/partners")
    assert "2026-02-28" in page.text and "2026-03-01" not in page.text
    await Partnership.filter(conglomerate=world.samsung).update(invited_at=late.replace(hour=15))
    page = await client.get("/partners")
    assert "2026-03-01" in page.text and "2026-02-28" not in page.text
    assert "0원" in page.text  # sponsor paid so far, in won
