"""The people of an organisation: its own members and the secretariat see them; its members remove them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from server.accounts.signin import actor_for, create_api_token
from server.membership import members as people
from server.models import ApiToken, AuditEntry, Invitation, Role, RoleKind
from server.platform.tokens import digest
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, sign_in_page, submit
from tests.support.world import Person, World, person

MEMBERS = """
query M($org: Int!, $first: Int, $after: String) {
  organizationMembers(organizationId: $org, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { user { id name email } role joinedAt }
  }
}
"""
REMOVE = """
mutation R($org: Int!, $user: Int!) {
  removeMember(organizationId: $org, userId: $user) {
    member { user { email } role } errors { field code message }
  }
}
"""


async def _colleague(world: World) -> Person:
    return await person("kang@hanbit.test", world.hanbit, RoleKind.SME_REPRESENTATIVE, "강동료")


async def test_a_representative_sees_the_people_of_the_sme_and_when_each_joined(
    client: httpx.AsyncClient, world: World
) -> None:
    colleague = await _colleague(world)
    await Role.filter(user_id=colleague.user.id).update(created_at=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    first = (await gql(client, MEMBERS, {"org": world.hanbit.id, "first": 1}))["organizationMembers"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    second = (await gql(client, MEMBERS, {"org": world.hanbit.id, "first": 1, "after": after}))[
        "organizationMembers"
    ]
    assert [n["user"]["email"] for n in first["nodes"] + second["nodes"]] == [
        world.hanbit_rep.email,
        colleague.email,
    ]
    assert second["nodes"][0]["role"] == "SME_REPRESENTATIVE"
    assert second["nodes"][0]["joinedAt"] == "2026-03-02T00:30:00+09:00"  # shown in Seoul


async def test_no_one_outside_the_organisation_sees_its_people(
    client: httpx.AsyncClient, world: World
) -> None:
    for outsider in (world.lg_coordinator, world.samsung_coordinator):  # a stranger, and a sponsor
        await sign_in(client, outsider.email, outsider.password)
        assert (await gql(client, MEMBERS, {"org": world.hanbit.id}))["organizationMembers"] is None
        assert (await gql(client, MEMBERS, {"org": 999_999}))["organizationMembers"] is None
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = await client.get(f"/organizations/{world.hanbit.id}")
    assert page.status_code == 200 and world.hanbit_rep.email not in page.text


async def test_the_secretariat_sees_who_joined_each_sme_and_when(
    client: httpx.AsyncClient, world: World
) -> None:
    await Role.filter(user_id=world.hanbit_rep.user.id).update(
        created_at=datetime(2026, 2, 28, 15, 30, tzinfo=UTC)
    )
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(client, MEMBERS, {"org": world.hanbit.id})
    assert [(n["user"]["name"], n["joinedAt"]) for n in data["organizationMembers"]["nodes"]] == [
        ("이대표", "2026-03-01T00:30:00+09:00")
    ]
    await sign_in_as(client, world.admin.email, world.admin.password)
    page = await client.get(f"/organizations/{world.hanbit.id}")
    assert "이대표" in page.text and "2026-03-01 00:30" in page.text


async def test_removing_a_member_ends_their_sessions_and_tokens_at_once_and_is_audited(
    client: httpx.AsyncClient, settings: object, world: World
) -> None:
    colleague = await _colleague(world)
    token = await create_api_token(await actor_for(colleague.user.id, world.hanbit.id), "ERP 연동")
    await sign_in(client, colleague.email, colleague.password)
    assert (await gql(client, "{ me { user { email } } }"))["me"]["user"]["email"] == colleague.email
    their_cookies = dict(client.cookies)

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    removed = await gql(client, REMOVE, {"org": world.hanbit.id, "user": colleague.user.id})
    assert removed["removeMember"] == {
        "member": {"user": {"email": colleague.email}, "role": "SME_REPRESENTATIVE"},
        "errors": [],
    }
    client.cookies.clear()
    client.cookies.update(their_cookies)
    assert (await gql(client, "{ me { user { email } } }"))["me"] is None
    client.cookies.clear()
    with_token = await client.post(
        "/graphql",
        json={"query": "{ me { user { email } } }"},
        headers={"Authorization": f"Bearer {token.secret}"},
    )
    assert with_token.status_code == 401 or with_token.json()["data"]["me"] is None
    assert (await ApiToken.get(id=token.token.id)).revoked_at is not None
    entry = await AuditEntry.get(action="member.remove")
    assert entry.actor_id == world.hanbit_rep.user.id  # type: ignore[attr-defined]
    assert entry.before and entry.before["email"] == colleague.email
    assert entry.record_type == "Organization" and entry.record_id == str(world.hanbit.id)


async def test_the_last_member_cannot_leave_the_organisation_empty(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    alone = await gql(client, REMOVE, {"org": world.hanbit.id, "user": world.hanbit_rep.user.id})
    assert alone["removeMember"]["errors"][0]["code"] == "INVALID_STATE"
    await sign_in(client, world.admin.email, world.admin.password)
    by_secretariat = await gql(client, REMOVE, {"org": world.hanbit.id, "user": world.hanbit_rep.user.id})
    assert by_secretariat["removeMember"]["errors"][0]["code"] == "INVALID_STATE"
    assert await Role.exists(user_id=world.hanbit_rep.user.id, organization_id=world.hanbit.id)

    colleague = await _colleague(world)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    left = await gql(client, REMOVE, {"org": world.hanbit.id, "user": world.hanbit_rep.user.id})
    assert left["removeMember"]["errors"] == []  # leaving is fine while a colleague stays
    assert [r.user_id for r in await Role.filter(organization_id=world.hanbit.id)] == [colleague.user.id]  # type: ignore[attr-defined]


async def test_nobody_outside_the_organisation_removes_its_people(
    client: httpx.AsyncClient, world: World
) -> None:
    await _colleague(world)
    for outsider in (world.lg_coordinator, world.samsung_coordinator):
        await sign_in(client, outsider.email, outsider.password)
        refused = await gql(client, REMOVE, {"org": world.hanbit.id, "user": world.hanbit_rep.user.id})
        assert refused["removeMember"]["errors"] == [
            {"field": None, "code": "NOT_FOUND", "message": "No such member."}
        ]
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    stranger = await gql(client, REMOVE, {"org": world.hanbit.id, "user": world.lg_coordinator.user.id})
    assert stranger["removeMember"]["errors"][0]["code"] == "NOT_FOUND"
    assert await Role.filter(organization_id=world.hanbit.id).count() == 2


async def test_a_removed_member_s_pending_invitations_stop_working(
    client: httpx.AsyncClient, world: World
) -> None:
    second = await person("lee@samsung.test", world.samsung, RoleKind.COORDINATOR, "이협력")
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    invite = 'mutation I($org: Int!) { inviteUser(email: "friend@outside.test", organizationId: $org, role: COORDINATOR) { errors { code } } }'
    assert (await gql(client, invite, {"org": world.samsung.id}))["inviteUser"]["errors"] == []
    await Invitation.filter(email="friend@outside.test").update(token_hash=digest("friend-link"))

    await sign_in(client, second.email, second.password)
    removed = await gql(client, REMOVE, {"org": world.samsung.id, "user": world.samsung_coordinator.user.id})
    assert removed["removeMember"]["errors"] == []
    accept = 'mutation { acceptInvitation(token: "friend-link", name: "친구", password: "friend-password") { errors { code } } }'
    client.cookies.clear()
    assert (await gql(client, accept))["acceptInvitation"]["errors"] == [{"code": "INVALID_STATE"}]
    assert not await Role.exists(user__email="friend@outside.test")


async def test_a_representative_removes_a_colleague_through_the_pages_after_confirming(
    client: httpx.AsyncClient, world: World
) -> None:
    colleague = await _colleague(world)
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    home = await client.get("/")
    assert f'href="/organizations/{world.hanbit.id}#people"' in home.text
    page = await client.get(f"/organizations/{world.hanbit.id}")
    action = f"/organizations/{world.hanbit.id}/members/{colleague.user.id}/remove"
    assert "강동료" in page.text and action in page.text
    confirm = await submit(client, f"/organizations/{world.hanbit.id}", action, {})
    assert confirm.status_code == 200 and "강동료" in confirm.text and "내보내시겠습니까" in confirm.text
    assert await Role.exists(user_id=colleague.user.id)
    done = await submit(client, f"/organizations/{world.hanbit.id}", action, {"confirmed": "yes"})
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    people = after.text[: after.text.index('id="history"')]  # the history below tells who was removed
    assert "강동료" not in people and "구성원을 내보냈습니다" in after.text
    assert not await Role.exists(user_id=colleague.user.id)
    # Alone now: the page offers no way to empty the organisation, and forcing it is refused.
    assert "/remove" not in after.text
    own = f"/organizations/{world.hanbit.id}/members/{world.hanbit_rep.user.id}/remove"
    forced = await submit(client, f"/organizations/{world.hanbit.id}", own, {"confirmed": "yes"})
    assert forced.status_code == 400 and "구성원이 한 명 이상 남아 있어야 합니다" in forced.text
    assert await Role.exists(user_id=world.hanbit_rep.user.id, organization_id=world.hanbit.id)


@pytest.mark.postgres_only
async def test_two_members_removing_each_other_at_once_leave_one(world: World) -> None:
    colleague = await _colleague(world)
    rep = await actor_for(world.hanbit_rep.user.id, world.hanbit.id)
    other = await actor_for(colleague.user.id, world.hanbit.id)
    results = await asyncio.gather(
        people.remove_member(actor=rep, organization_id=world.hanbit.id, user_id=colleague.user.id),
        people.remove_member(actor=other, organization_id=world.hanbit.id, user_id=world.hanbit_rep.user.id),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "Role"]
    assert await Role.filter(organization_id=world.hanbit.id).count() == 1
