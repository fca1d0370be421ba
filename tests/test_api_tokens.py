"""Scripts call the API with bearer tokens: opaque, stored only as a hash, expiring, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx

from server.models import ApiToken, AuditEntry
from server.platform.timeutil import now
from tests.support.graphql import gql, sign_in
from tests.support.world import World

CREATE = (
    'mutation { createApiToken(name: "ERP 연동", days: 30) { token { id name } secret errors { code } } }'
)
ME = "{ me { user { email } actingFor { nameKo } } }"


async def _issue(client: httpx.AsyncClient, world: World) -> tuple[int, str]:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    created = (await gql(client, CREATE))["createApiToken"]
    await gql(client, "mutation { signOut { signedOut } }")
    return int(created["token"]["id"]), str(created["secret"])


async def test_a_token_acts_as_its_owner_for_its_organisation(
    client: httpx.AsyncClient, world: World
) -> None:
    _, secret = await _issue(client, world)
    bearer = {"Authorization": f"Bearer {secret}"}
    me = await gql(client, ME, headers=bearer)
    assert me["me"] == {
        "user": {"email": world.samsung_coordinator.email},
        "actingFor": {"nameKo": "삼성전자"},
    }
    stored = await ApiToken.get()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored.__dict__)


async def test_a_revoked_or_expired_token_no_longer_works(client: httpx.AsyncClient, world: World) -> None:
    token_id, secret = await _issue(client, world)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    revoked = await gql(
        client, "mutation R($id: Int!) { revokeApiToken(id: $id) { token { revoked } } }", {"id": token_id}
    )
    assert revoked["revokeApiToken"]["token"]["revoked"] is True
    await gql(client, "mutation { signOut { signedOut } }")
    await _refused(client, secret)
    assert [e.action for e in await AuditEntry.all().order_by("id")] == [
        "api_token.create",
        "api_token.revoke",
    ]

    _, fresh = await _issue(client, world)
    await ApiToken.filter(revoked_at=None).update(expires_at=now() - timedelta(seconds=1))
    await _refused(client, fresh)


async def _refused(client: httpx.AsyncClient, secret: str, path: str = "/graphql") -> None:
    headers = {"Authorization": f"Bearer {secret}"}
    response = await client.post(path, json={"query": ME}, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_bad_token_gets_401_not_an_anonymous_answer_nor_the_session(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    await _refused(client, "tpc_forged")
    page = await client.get("/", headers={"Authorization": "Bearer tpc_forged"})
    assert page.status_code == 401 and page.headers["www-authenticate"].startswith("Bearer")
    assert (await gql(client, ME))["me"] is not None  # without the header, the session still works


async def test_someone_else_cannot_revoke_my_token(client: httpx.AsyncClient, world: World) -> None:
    token_id, _ = await _issue(client, world)
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    data = await gql(
        client, "mutation R($id: Int!) { revokeApiToken(id: $id) { errors { code } } }", {"id": token_id}
    )
    assert data["revokeApiToken"]["errors"] == [{"code": "NOT_FOUND"}]
    assert (await ApiToken.get(id=token_id)).revoked_at is None
