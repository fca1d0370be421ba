"""Issue 19, step 1: an SME opens a confidential protection case. Only its representatives and the
secretariat see it; no conglomerate can see, count or infer it unless the SME shares it with that sponsor;
every read by someone outside the SME is recorded and the SME sees who read it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from server.models import (
    CaseStatus,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
    ProtectionCase,
    RoleKind,
)
from server.platform.errors import DomainError, ErrorCode
from server.protection import case_queries, cases
from server.protection.workdays import respond_by
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as
from tests.support.protection import another_sme, open_case
from tests.support.world import Person, World

CASE = "query($id: Int!) { protectionCase(id: $id) { id kind technologies status } }"
CASES = "{ protectionCases { totalCount nodes { id } } }"
pytestmark = pytest.mark.usefixtures("settings")  # the services build links from the settings

MESSAGE = """mutation($id: Int!) { addCaseMessage(caseId: $id, body: "hello") {
  entry { id } errors { field code message } } }"""


async def test_an_sme_opens_a_case_and_the_mail_says_only_that_it_was_received(world: World) -> None:
    """The case keeps what the SME said; the mail says a case was received and where, never what it is."""
    case = await open_case(world.hanbit_rep)
    assert case.status == CaseStatus.RECEIVED
    assert case.checklist == ["cut_access", "kept_logs"]
    assert case.sme_id == world.hanbit.id
    mail = await OutgoingMail.get(recipient=world.hanbit_rep.email)
    assert f"/protection/{case.id}" in mail.body
    assert "도면" not in mail.body and "도면" not in mail.subject


def test_the_first_response_target_is_two_working_days_in_seoul() -> None:
    """Opened on a Friday afternoon in Seoul, the target is Tuesday afternoon; on a Saturday, Tuesday."""
    friday = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 15:00 in Seoul
    assert respond_by(friday).strftime("%a %H:%M") == "Tue 15:00"
    saturday = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    assert respond_by(saturday).strftime("%a %d") == "Tue 01"


async def test_only_sme_representatives_open_cases_and_bad_input_is_refused(world: World) -> None:
    try:
        await open_case(world.samsung_coordinator)
    except DomainError as refused:
        assert refused.errors[0].code == ErrorCode.FORBIDDEN
    else:
        raise AssertionError("a coordinator opened a case")
    try:
        await open_case(world.hanbit_rep, technologies=" ", description="", checklist=("made_up",))
    except DomainError as refused:
        assert {e.field for e in refused.errors} == {"technologies", "description", "checklist"}
    else:
        raise AssertionError("an empty case was opened")
    assert await ProtectionCase.all().count() == 0


async def _outsiders(world: World) -> list[Person]:
    return [world.samsung_coordinator, world.lg_coordinator, await another_sme(world)]


async def test_no_conglomerate_nor_other_sme_can_see_count_or_touch_a_case_through_graphql(
    client: httpx.AsyncClient, world: World
) -> None:
    """Hanbit's own sponsor (Samsung), another conglomerate and another SME get exactly what a missing id
    gets: null, an empty list with a count of 0, NOT_FOUND."""
    case = await open_case(world.hanbit_rep)
    for outsider in await _outsiders(world):
        await sign_in(client, outsider.email, outsider.password)
        for case_id in (case.id, 999_999):
            assert (await gql(client, CASE, {"id": case_id}))["protectionCase"] is None
            answer = (await gql(client, MESSAGE, {"id": case_id}))["addCaseMessage"]
            assert [e["code"] for e in answer["errors"]] == ["NOT_FOUND"], outsider.email
        assert (await gql(client, CASES))["protectionCases"] == {"totalCount": 0, "nodes": []}
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await gql(client, CASE, {"id": case.id}))["protectionCase"]["status"] == "RECEIVED"
    await sign_in(client, world.admin.email, world.admin.password)
    assert (await gql(client, CASES))["protectionCases"]["totalCount"] == 1


async def test_no_conglomerate_nor_other_sme_finds_a_case_through_the_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    """The case page answers 404 exactly as for an id that does not exist; the list shows nothing."""
    case = await open_case(world.hanbit_rep)
    missing = await client.get("/protection/999999")
    for outsider in await _outsiders(world):
        await sign_in_as(client, outsider.email, outsider.password)
        page = await client.get(f"/protection/{case.id}")
        assert page.status_code == 404
        missing_page = await client.get("/protection/999999")
        assert page.text == missing_page.text.replace("/protection/999999", f"/protection/{case.id}")
        download = await client.get(f"/protection/{case.id}/evidence/1")
        assert download.status_code == 404
        listing = await client.get("/protection")
        assert "감속기" not in listing.text and f"/protection/{case.id}" not in listing.text
    assert missing.status_code in (303, 307, 302, 401)  # not signed in yet: sent to sign in


async def test_the_sme_shares_a_case_with_one_active_sponsor_only(world: World) -> None:
    """Sharing shows the case to that sponsor alone, while the partnership lasts; a non-sponsor is refused."""
    case = await open_case(world.hanbit_rep)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    samsung = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    lg = acting(world.lg_coordinator, RoleKind.COORDINATOR)
    try:
        await cases.share_protection_case(actor=rep, case_id=case.id, conglomerate_id=world.lg.id)
    except DomainError as refused:
        assert refused.errors[0].field == "conglomerateId"
    else:
        raise AssertionError("shared with a conglomerate that is not a sponsor")
    await cases.share_protection_case(actor=rep, case_id=case.id, conglomerate_id=world.samsung.id)
    assert (await case_queries.get_case(samsung, case.id)).id == case.id
    assert await (await case_queries.list_cases(lg)).total_count() == 0
    await Partnership.filter(sme=world.hanbit).update(status=PartnershipStatus.ENDED)
    assert await (await case_queries.list_cases(samsung)).total_count() == 0


async def test_every_read_by_someone_outside_the_sme_is_recorded_and_the_sme_sees_who(
    client: httpx.AsyncClient, world: World
) -> None:
    case = await open_case(world.hanbit_rep)
    await sign_in(client, world.admin.email, world.admin.password)
    await gql(client, CASE, {"id": case.id})
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    await gql(client, CASE, {"id": case.id})  # the SME's own reads are not listed
    readers = await gql(
        client,
        "query($id: Int!) { protectionCase(id: $id) { readers { nodes { readerName organizationName } } } }",
        {"id": case.id},
    )
    assert readers["protectionCase"]["readers"]["nodes"] == [
        {"readerName": "사무국 관리자", "organizationName": "기술보호 클럽 사무국"}
    ]


STATISTICS = "{ protectionCaseStatistics { total byKind { kind count } byMonth { month count } answered } }"


async def test_statistics_are_the_secretariat_s_alone_and_name_no_sme(
    client: httpx.AsyncClient, world: World
) -> None:
    """Counts by kind and month for the secretariat; a sponsor's request is refused and its page is 404."""
    await open_case(world.hanbit_rep)
    await sign_in(client, world.admin.email, world.admin.password)
    found = (await gql(client, STATISTICS))["protectionCaseStatistics"]
    assert found["total"] == 1 and {"kind": "SUSPECTED_LEAK", "count": 1} in found["byKind"]
    page = await client.get("/protection/statistics")
    assert page.status_code == 200 and "한빛" not in page.text and "Hanbit" not in page.text
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await client.get("/protection/statistics")).status_code == 404
    response = await client.post("/graphql", json={"query": STATISTICS})
    assert response.json()["data"] is None
