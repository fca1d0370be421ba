"""An SME representative registers colleagues within the company's seats (newcomers become invitations);
a coordinator offers to co-host a seminar and the secretariat decides."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from server.membership import invitations
from server.models import (
    AuditEntry,
    CoHostingProposal,
    Invitation,
    OutgoingMail,
    Registration,
    RegistrationStatus,
    Role,
    RoleKind,
    User,
)
from server.platform.errors import DomainError
from server.platform.tokens import digest
from server.seminars.colleagues import register_colleague_for_seminar
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, sign_in_page, submit
from tests.support.seminars import published
from tests.support.world import World, person

REGISTER = """mutation($s: Int!, $u: Int, $name: String!, $email: String!) {
  registerColleagueForSeminar(seminarId: $s, userId: $u, name: $name, email: $email) {
    registration { status waitlistPosition person { name } organization { nameKo } }
    errors { field code message } } }"""
PROPOSE = """mutation($s: Int!) { proposeCoHosting(seminarId: $s, note: "강사 지원 가능") {
  proposal { id status conglomerate { nameKo } } errors { code message } } }"""
DECIDE = """mutation($p: Int!, $accept: Boolean!, $reason: String!) {
  decideCoHosting(proposalId: $p, accept: $accept, reason: $reason) {
    proposal { status reason seminar { coHosts { nameKo } } } errors { field code } } }"""


async def test_a_representative_registers_a_colleague_and_a_newcomer_within_the_seats(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin, seats_per_organization=2)
    colleague = await person("kim@hanbit.test", world.hanbit, RoleKind.STAFF, "김직원")
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    seated = await gql(client, REGISTER, {"s": seminar.id, "u": colleague.user.id, "name": "", "email": ""})
    assert seated["registerColleagueForSeminar"] == {
        "registration": {
            "status": "REGISTERED",
            "waitlistPosition": None,
            "person": {"name": "김직원"},
            "organization": {"nameKo": "한빛정밀"},
        },
        "errors": [],
    }
    newcomer = {"s": seminar.id, "u": None, "name": "박신입", "email": "Park@Hanbit.test"}
    second = (await gql(client, REGISTER, newcomer))["registerColleagueForSeminar"]
    assert (
        second["registration"]["status"] == "REGISTERED"
        and second["registration"]["person"]["name"] == "박신입"
    )
    invitation = await Invitation.get(email="park@hanbit.test")
    assert (invitation.organization_id, invitation.role) == (world.hanbit.id, RoleKind.STAFF)
    assert await OutgoingMail.filter(recipient="park@hanbit.test").count() == 2  # invitation, registration
    # The company's two seats are taken: the next colleague waits, though the seminar has room.
    third = await gql(client, REGISTER, {**newcomer, "name": "최막내", "email": "choi@hanbit.test"})
    assert third["registerColleagueForSeminar"]["registration"]["status"] == "WAITLISTED"
    twice = await gql(client, REGISTER, {"s": seminar.id, "u": colleague.user.id, "name": "", "email": ""})
    assert twice["registerColleagueForSeminar"]["errors"][0]["code"] == "DUPLICATE"
    assert (
        await AuditEntry.filter(action="registration.register", actor_id=world.hanbit_rep.user.id).count()
        == 3
    )


async def test_a_newcomer_sets_their_password_with_the_invitation_and_belongs_to_the_company(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    await register_colleague_for_seminar(
        actor=rep, seminar_id=seminar.id, name="박신입", email="park@hanbit.test"
    )
    user = await User.get(email="park@hanbit.test")
    assert user.password_hash is None and not await Role.exists(user_id=user.id)
    invitation = await Invitation.get(email="park@hanbit.test")
    secret = "known-secret-for-the-test"
    await Invitation.filter(id=invitation.id).update(token_hash=digest(secret))
    assert not await invitations.has_account(await invitations.open_invitation(secret))
    accepted = await invitations.accept_invitation(secret, name="박신입", password="a-new-password")
    assert accepted.user.id == user.id and accepted.actor.role == RoleKind.STAFF
    assert (await Registration.get(user_id=user.id)).status == RegistrationStatus.REGISTERED


async def test_only_managers_register_colleagues_and_only_their_own(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    staff = await person("kim@hanbit.test", world.hanbit, RoleKind.STAFF)
    await sign_in(client, staff.email, staff.password)
    refused = await gql(
        client, REGISTER, {"s": seminar.id, "u": world.hanbit_rep.user.id, "name": "", "email": ""}
    )
    assert refused["registerColleagueForSeminar"]["errors"][0]["code"] == "FORBIDDEN"
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    stranger = await gql(client, REGISTER, {"s": seminar.id, "u": staff.user.id, "name": "", "email": ""})
    assert stranger["registerColleagueForSeminar"]["errors"][0]["code"] == "NOT_FOUND"  # not their colleague
    assert not await Registration.exists(user_id=staff.user.id)


async def test_a_coordinator_proposes_co_hosting_and_the_secretariat_accepts_or_declines(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    proposed = (await gql(client, PROPOSE, {"s": seminar.id}))["proposeCoHosting"]
    assert proposed["errors"] == [] and proposed["proposal"]["status"] == "PROPOSED"
    again = (await gql(client, PROPOSE, {"s": seminar.id}))["proposeCoHosting"]
    assert again["errors"][0]["code"] == "DUPLICATE"
    samsung_offer = proposed["proposal"]["id"]
    refused = (await gql(client, DECIDE, {"p": samsung_offer, "accept": True, "reason": ""}))[
        "decideCoHosting"
    ]
    assert refused["errors"][0]["code"] == "FORBIDDEN"  # a coordinator does not accept its own offer
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    lg_offer = (await gql(client, PROPOSE, {"s": seminar.id}))["proposeCoHosting"]["proposal"]["id"]

    await sign_in(client, world.admin.email, world.admin.password)
    accepted = (await gql(client, DECIDE, {"p": samsung_offer, "accept": True, "reason": ""}))[
        "decideCoHosting"
    ]
    assert accepted["proposal"]["status"] == "ACCEPTED"
    assert accepted["proposal"]["seminar"]["coHosts"] == [{"nameKo": "삼성전자"}]
    bare = (await gql(client, DECIDE, {"p": lg_offer, "accept": False, "reason": ""}))["decideCoHosting"]
    assert bare["errors"][0]["field"] == "reason"
    declined = await gql(
        client, DECIDE, {"p": lg_offer, "accept": False, "reason": "이미 공동 주최사가 있음"}
    )
    assert declined["decideCoHosting"]["proposal"]["status"] == "DECLINED"
    mail = await OutgoingMail.filter(recipient=world.lg_coordinator.email).order_by("-id").first()
    assert mail is not None and "이미 공동 주최사가 있음" in mail.body
    assert await CoHostingProposal.filter(status="proposed").count() == 0


async def test_an_sme_cannot_propose_co_hosting(client: httpx.AsyncClient, world: World) -> None:
    seminar = await published(world.admin)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    refused = (await gql(client, PROPOSE, {"s": seminar.id}))["proposeCoHosting"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"


@pytest.mark.postgres_only
async def test_colleagues_registered_at_once_never_exceed_the_company_s_seats(world: World) -> None:
    seminar = await published(world.admin, seats_per_organization=3, capacity=50)
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    results = await asyncio.gather(
        *(
            register_colleague_for_seminar(
                actor=rep, seminar_id=seminar.id, name=f"직원{i}", email=f"staff{i}@hanbit.test"
            )
            for i in range(12)
        ),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, (DomainError, Exception))], results
    rows = await Registration.filter(seminar_id=seminar.id)
    assert sum(r.status == RegistrationStatus.REGISTERED for r in rows) == 3
    assert sorted(r.waitlist_position for r in rows if r.waitlist_position) == list(range(1, 10))


async def test_the_pages_register_a_colleague_and_decide_an_offer(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = f"/seminars/{seminar.id}/colleagues"
    refused = await submit(client, page, page, {"name": "박신입", "email": "nope"})
    assert refused.status_code == 400 and not await Registration.exists(seminar_id=seminar.id)
    done = await submit(client, page, page, {"name": "박신입", "email": "park@hanbit.test"})
    assert done.status_code == 303 and await Registration.exists(
        seminar_id=seminar.id, user__email="park@hanbit.test"
    )

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    offered = await submit(
        client, f"/seminars/{seminar.id}", f"/seminars/{seminar.id}/co-hosting", {"note": ""}
    )
    assert offered.status_code == 303
    proposal = await CoHostingProposal.get(seminar_id=seminar.id)
    await sign_in_as(client, world.admin.email, world.admin.password)
    action = f"/co-hosting/{proposal.id}/decide"
    asked = await submit(client, "/co-hosting", action, {"decision": "decline", "reason": "일정 중복"})
    assert asked.status_code == 200 and (await CoHostingProposal.get(id=proposal.id)).status == "proposed"
    accepted = await submit(client, "/co-hosting", action, {"decision": "accept"})
    assert accepted.status_code == 303 and (await CoHostingProposal.get(id=proposal.id)).status == "accepted"
    assert "삼성전자" in (await client.get(f"/seminars/{seminar.id}")).text
