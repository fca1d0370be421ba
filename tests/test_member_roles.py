"""Managers (coordinators, representatives) make colleagues managers or staff; the last manager keeps the role;
staff take part but manage nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from server.membership import members
from server.models import AuditEntry, Role, RoleKind
from server.platform.actor import Actor
from server.platform.errors import DomainError
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page, submit
from tests.support.world import World, person

CHANGE = """mutation($org: Int!, $user: Int!, $role: Role!) {
  changeMemberRole(organizationId: $org, userId: $user, role: $role) {
    member { user { email } role } errors { field code message } } }"""
INVITE = """mutation($org: Int!, $email: String!) {
  inviteUser(organizationId: $org, email: $email, role: STAFF) { errors { code } } }"""


async def test_a_representative_makes_a_colleague_staff_and_back_and_it_is_audited(
    client: httpx.AsyncClient, world: World
) -> None:
    colleague = await person("kim@hanbit.test", world.hanbit, RoleKind.SME_REPRESENTATIVE)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    args = {"org": world.hanbit.id, "user": colleague.user.id}
    down = (await gql(client, CHANGE, {**args, "role": "STAFF"}))["changeMemberRole"]
    assert down == {"member": {"user": {"email": "kim@hanbit.test"}, "role": "STAFF"}, "errors": []}
    up = (await gql(client, CHANGE, {**args, "role": "SME_REPRESENTATIVE"}))["changeMemberRole"]
    assert up["member"]["role"] == "SME_REPRESENTATIVE"
    wrong = (await gql(client, CHANGE, {**args, "role": "COORDINATOR"}))["changeMemberRole"]
    assert wrong["errors"][0] == {
        "field": "role",
        "code": "INVALID",
        "message": "This role does not exist in this kind of organisation.",
    }
    entries = await AuditEntry.filter(action="member.change_role").order_by("id")
    assert [(e.before["role"], e.after["role"]) for e in entries] == [
        ("sme_representative", "staff"),
        ("staff", "sme_representative"),
    ]


async def test_the_last_manager_cannot_be_demoted(client: httpx.AsyncClient, world: World) -> None:
    staff = await person("staff@hanbit.test", world.hanbit, RoleKind.STAFF)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    alone = (
        await gql(client, CHANGE, {"org": world.hanbit.id, "user": world.hanbit_rep.user.id, "role": "STAFF"})
    )["changeMemberRole"]
    assert alone["errors"][0]["code"] == "INVALID_STATE" and alone["member"] is None
    assert (await Role.get(user_id=world.hanbit_rep.user.id)).kind == RoleKind.SME_REPRESENTATIVE
    # Nor removed while only staff would be left.
    removal = await gql(
        client,
        "mutation($o: Int!, $u: Int!) { removeMember(organizationId: $o, userId: $u) { errors { code } } }",
        {"o": world.hanbit.id, "u": world.hanbit_rep.user.id},
    )
    assert removal["removeMember"]["errors"][0]["code"] == "INVALID_STATE"
    assert await Role.exists(user_id=staff.user.id)


async def test_staff_manage_nothing_and_other_companies_see_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    staff = await person("staff@hanbit.test", world.hanbit, RoleKind.STAFF)
    await sign_in(client, staff.email, staff.password)
    promote = (
        await gql(
            client, CHANGE, {"org": world.hanbit.id, "user": staff.user.id, "role": "SME_REPRESENTATIVE"}
        )
    )["changeMemberRole"]
    assert promote["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(client, INVITE, {"org": world.hanbit.id, "email": "x@hanbit.test"}))["inviteUser"][
        "errors"
    ]
    people = await gql(
        client,
        "query($o: Int!) { organizationMembers(organizationId: $o) { totalCount } }",
        {"o": world.hanbit.id},
    )
    assert people["organizationMembers"]["totalCount"] == 2  # staff still see their colleagues

    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    foreign = (
        await gql(
            client, CHANGE, {"org": world.hanbit.id, "user": staff.user.id, "role": "SME_REPRESENTATIVE"}
        )
    )["changeMemberRole"]
    assert foreign["errors"][0]["code"] == "NOT_FOUND"


async def test_the_people_page_changes_a_role(client: httpx.AsyncClient, world: World) -> None:
    colleague = await person("kim@hanbit.test", world.hanbit, RoleKind.SME_REPRESENTATIVE)
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = f"/organizations/{world.hanbit.id}"
    done = await submit(client, page, f"{page}/members/{colleague.user.id}/role", {"role": "staff"})
    assert done.status_code == 303
    assert (await Role.get(user_id=colleague.user.id)).kind == RoleKind.STAFF
    last = await submit(client, page, f"{page}/members/{world.hanbit_rep.user.id}/role", {"role": "staff"})
    assert (
        last.status_code == 400
        and (await Role.get(user_id=world.hanbit_rep.user.id)).kind == "sme_representative"
    )


@pytest.mark.postgres_only
async def test_two_managers_demoting_each_other_at_once_leave_one_manager(world: World) -> None:
    other = await person("kim@hanbit.test", world.hanbit, RoleKind.SME_REPRESENTATIVE)
    first = Actor(world.hanbit_rep.user, world.hanbit, RoleKind.SME_REPRESENTATIVE)
    second = Actor(other.user, world.hanbit, RoleKind.SME_REPRESENTATIVE)
    results = await asyncio.gather(
        members.change_member_role(
            actor=first, organization_id=world.hanbit.id, user_id=other.user.id, role=RoleKind.STAFF
        ),
        members.change_member_role(
            actor=second,
            organization_id=world.hanbit.id,
            user_id=world.hanbit_rep.user.id,
            role=RoleKind.STAFF,
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert await Role.filter(organization_id=world.hanbit.id, kind=RoleKind.SME_REPRESENTATIVE).count() == 1
