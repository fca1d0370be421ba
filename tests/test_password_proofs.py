"""Every place that checks a password a person already has is limited like sign-in: changing it (someone at
an unlocked computer) and accepting an invitation with an existing account (someone holding the link)."""

from __future__ import annotations

import httpx

from server.models import Role, User
from server.platform.outbox import MailWorker
from tests.support.graphql import gql, sign_in
from tests.support.smtp import SmtpServer
from tests.support.world import World
from tests.test_invitations import ACCEPT, _invite, _token_from_mail

CHANGE = "mutation C($c: String!, $n: String!) { changePassword(current: $c, new: $n) { done errors { field code } } }"
LOCK_AFTER = 5  # SignInLimits.pair_lock_after


async def test_guessing_the_current_password_locks_password_changes_for_a_while(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    before = (await User.get(id=world.hanbit_rep.user.id)).password_hash
    for n in range(LOCK_AFTER):
        wrong = await gql(client, CHANGE, {"c": f"guess-number-{n}", "n": "a-brand-new-password"})
        assert wrong["changePassword"]["errors"] == [{"field": "current", "code": "INVALID_CREDENTIALS"}]
    right = await gql(client, CHANGE, {"c": world.hanbit_rep.password, "n": "a-brand-new-password"})
    assert right["changePassword"]["errors"][0]["code"] == "THROTTLED"
    assert (await User.get(id=world.hanbit_rep.user.id)).password_hash == before


async def test_a_right_current_password_before_the_limit_clears_the_count(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    for n in range(LOCK_AFTER - 1):
        await gql(client, CHANGE, {"c": f"guess-number-{n}", "n": "a-brand-new-password"})
    done = await gql(client, CHANGE, {"c": world.hanbit_rep.password, "n": "a-brand-new-password"})
    assert done["changePassword"] == {"done": True, "errors": []}


async def test_guessing_an_existing_accounts_password_on_an_invitation_locks_it(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _invite(client, world, world.hanbit_rep.email, world.secretariat.id, "SECRETARIAT")
    token = await _token_from_mail(smtp, mail_worker, world.hanbit_rep.email)
    for n in range(LOCK_AFTER):
        wrong = await gql(client, ACCEPT, {"token": token, "name": "", "password": f"guess-number-{n}"})
        assert wrong["acceptInvitation"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    right = await gql(client, ACCEPT, {"token": token, "name": "", "password": world.hanbit_rep.password})
    assert right["acceptInvitation"]["errors"][0]["code"] == "THROTTLED"
    assert await Role.filter(user_id=world.hanbit_rep.user.id).count() == 1
