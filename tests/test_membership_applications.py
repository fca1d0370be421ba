"""A conglomerate applies from the public site; the secretariat admits it (organisation, active membership,
an invitation for its contact) or declines it with a reason; the applicant hears either way."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from server.membership import applications
from server.membership.business_number import complete
from server.models import (
    AuditEntry,
    ClubMembership,
    Invitation,
    MembershipApplication,
    MembershipStatus,
    Organization,
    OutgoingMail,
    RoleKind,
)
from server.platform.errors import DomainError, ErrorCode
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page, submit
from tests.support.world import World

NUMBER = complete("220810001")
APPLY = """mutation($input: MembershipApplicationInput!) {
  applyForMembership(input: $input) { received errors { field code message } } }"""
DECIDE = """mutation($id: Int!, $admit: Boolean!, $reason: String!) {
  decideMembershipApplication(applicationId: $id, admit: $admit, reason: $reason) {
    application { status reason organization { nameKo representativeName membership { status } } }
    errors { field code message } } }"""
LIST = """query($status: MembershipApplicationStatus) {
  membershipApplications(status: $status, first: 10) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id nameKo businessNumber contactEmail status } } }"""


def application(**changes: str) -> dict[str, str]:
    return {
        "nameKo": "현대자동차",
        "nameEn": "Hyundai Motor",
        "businessNumber": NUMBER,
        "sector": "자동차",
        "representativeName": "정의선",
        "address": "서울특별시 서초구 헌릉로 12",
        "contactName": "최담당",
        "contactEmail": "choi@hyundai.test",
        "contactPhone": "02-3464-1114",
        "signerName": "정의선",
        "signerTitle": "대표이사",
        **changes,
    }


async def test_anyone_applies_without_signing_in_and_gets_a_receipt(
    client: httpx.AsyncClient, world: World
) -> None:
    done = (await gql(client, APPLY, {"input": application()}))["applyForMembership"]
    assert done == {"received": True, "errors": []}
    stored = await MembershipApplication.get(business_number=NUMBER)
    assert (stored.name_ko, stored.contact_email, stored.signer_title) == (
        "현대자동차",
        "choi@hyundai.test",
        "대표이사",
    )
    assert await OutgoingMail.filter(recipient="choi@hyundai.test").count() == 1
    assert not await Organization.exists(business_number=NUMBER)  # nothing exists until admitted


async def test_an_application_is_refused_field_by_field_for_a_bad_number_or_address(
    client: httpx.AsyncClient, world: World
) -> None:
    bad = application(businessNumber="134-86-72684", contactEmail="nobody", nameKo=" ", signerName="")
    done = (await gql(client, APPLY, {"input": bad}))["applyForMembership"]
    assert {e["field"]: e["code"] for e in done["errors"]} == {
        "businessNumber": "INVALID",
        "contactEmail": "INVALID",
        "nameKo": "REQUIRED",
        "signerName": "REQUIRED",
    }
    too_long = (await gql(client, APPLY, {"input": application(address="가" * 301)}))["applyForMembership"]
    assert too_long["errors"][0]["code"] == "INVALID"
    assert await MembershipApplication.all().count() == 0


async def test_one_open_application_per_business_number_and_none_for_a_registered_company(
    client: httpx.AsyncClient, world: World
) -> None:
    await gql(client, APPLY, {"input": application()})
    again = (await gql(client, APPLY, {"input": application(contactEmail="x@hyundai.test")}))[
        "applyForMembership"
    ]
    assert again["errors"] == [
        {
            "field": "businessNumber",
            "code": "DUPLICATE",
            "message": "An application for this business registration number is already being considered.",
        }
    ]
    member = (await gql(client, APPLY, {"input": application(businessNumber=world.samsung.business_number)}))[
        "applyForMembership"
    ]
    assert member["errors"][0]["code"] == "DUPLICATE"
    assert await MembershipApplication.all().count() == 1


async def test_only_the_secretariat_lists_and_decides_applications(
    client: httpx.AsyncClient, world: World
) -> None:
    await gql(client, APPLY, {"input": application()})
    stored = await MembershipApplication.get(business_number=NUMBER)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = (await gql(client, DECIDE, {"id": stored.id, "admit": True, "reason": ""}))[
        "decideMembershipApplication"
    ]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    hidden = await client.post("/graphql", json={"query": LIST}, headers={"Accept-Language": "en"})
    assert hidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    await sign_in(client, world.admin.email, world.admin.password)
    listed = (await gql(client, LIST, {"status": "OPEN"}))["membershipApplications"]
    assert listed["totalCount"] == 1
    assert listed["nodes"][0]["businessNumber"] == f"{NUMBER[:3]}-{NUMBER[3:5]}-{NUMBER[5:]}"


async def test_admission_creates_the_member_and_invites_its_contact_to_coordinate(
    client: httpx.AsyncClient, world: World
) -> None:
    await gql(client, APPLY, {"input": application()})
    stored = await MembershipApplication.get(business_number=NUMBER)
    await sign_in(client, world.admin.email, world.admin.password)
    done = (await gql(client, DECIDE, {"id": stored.id, "admit": True, "reason": ""}))[
        "decideMembershipApplication"
    ]
    assert done["errors"] == []
    assert done["application"] == {
        "status": "ADMITTED",
        "reason": "",
        "organization": {
            "nameKo": "현대자동차",
            "representativeName": "정의선",
            "membership": {"status": "ACTIVE"},
        },
    }
    organization = await Organization.get(business_number=NUMBER)
    assert (await ClubMembership.get(organization=organization)).status == MembershipStatus.ACTIVE
    invitation = await Invitation.get(organization=organization)
    assert (invitation.email, invitation.role) == ("choi@hyundai.test", RoleKind.COORDINATOR)
    subjects = [m.subject for m in await OutgoingMail.filter(recipient="choi@hyundai.test").order_by("id")]
    assert (
        len(subjects) == 3 and "승인" in subjects[2] and "초대" in subjects[1]
    )  # receipt, invitation, welcome
    assert await AuditEntry.exists(action="membership_application.admit", actor_id=world.admin.user.id)

    twice = (await gql(client, DECIDE, {"id": stored.id, "admit": False, "reason": "x"}))[
        "decideMembershipApplication"
    ]
    assert twice["errors"][0]["code"] == "INVALID_STATE"
    # Decided, it no longer blocks: but the company now exists, so a new application is refused anyway.
    assert (await MembershipApplication.get(id=stored.id)).open_number is None


async def test_a_decline_needs_a_reason_and_tells_the_applicant(
    client: httpx.AsyncClient, world: World
) -> None:
    await gql(client, APPLY, {"input": application()})
    stored = await MembershipApplication.get(business_number=NUMBER)
    await sign_in(client, world.admin.email, world.admin.password)
    bare = (await gql(client, DECIDE, {"id": stored.id, "admit": False, "reason": " "}))[
        "decideMembershipApplication"
    ]
    assert bare["errors"][0]["field"] == "reason"
    done = (await gql(client, DECIDE, {"id": stored.id, "admit": False, "reason": "정관상 회원 자격 미달"}))[
        "decideMembershipApplication"
    ]
    assert done["application"]["status"] == "DECLINED" and done["application"]["organization"] is None
    mail = await OutgoingMail.filter(recipient="choi@hyundai.test").order_by("-id").first()
    assert mail is not None and "정관상 회원 자격 미달" in mail.body
    assert not await Organization.exists(business_number=NUMBER)
    # A declined company may apply again later.
    again = (await gql(client, APPLY, {"input": application()}))["applyForMembership"]
    assert again["received"] is True


@pytest.mark.postgres_only
async def test_two_applications_for_one_number_at_once_leave_exactly_one_open(world: World) -> None:
    form = applications.ApplicationForm(
        name_ko="현대자동차",
        business_number=NUMBER,
        contact_name="최",
        contact_email="c@h.test",
        signer_name="정",
    )
    results = await asyncio.gather(
        *(applications.apply_for_membership(form, client="192.0.2.1") for _ in range(4)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 3 and all(r.errors[0].code == ErrorCode.DUPLICATE for r in refused)
    assert await MembershipApplication.filter(open_number=NUMBER).count() == 1


async def test_the_public_form_applies_and_the_secretariat_decides_on_its_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: no sign-in to apply; the form keeps what was typed when refused; deciding asks first."""
    form = {
        "name_ko": "현대자동차",
        "business_number": "134-86-72684",
        "contact_name": "최담당",
        "contact_email": "choi@hyundai.test",
        "signer_name": "정의선",
    }
    refused = await submit(client, "/apply", "/apply", form)
    assert refused.status_code == 400 and 'value="현대자동차"' in refused.text
    done = await submit(client, "/apply", "/apply", {**form, "business_number": NUMBER})
    assert done.status_code == 200 and await MembershipApplication.exists(business_number=NUMBER)

    await sign_in_page(client, world.admin.email, world.admin.password)
    stored = await MembershipApplication.get(business_number=NUMBER)
    listed = await client.get("/applications")
    assert f"/applications/{stored.id}" in listed.text
    page = f"/applications/{stored.id}"
    asked = await submit(client, page, f"{page}/decide", {"decision": "decline", "reason": "자격 미달"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.text
    assert (await MembershipApplication.get(id=stored.id)).status == "open"
    decided = await submit(
        client, page, f"{page}/decide", {"decision": "decline", "reason": "자격 미달", "confirmed": "yes"}
    )
    assert decided.status_code == 303
    assert (await MembershipApplication.get(id=stored.id)).status == "declined"


async def test_other_people_cannot_reach_the_applications_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    await gql(client, APPLY, {"input": application()})
    stored = await MembershipApplication.get(business_number=NUMBER)
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await client.get("/applications")).status_code == 404
    assert (await client.get(f"/applications/{stored.id}")).status_code == 404
