"""A forgotten password is reset by a mailed single-use, short-lived link that ends every session."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from server.accounts.credentials import reset_password as credentials_reset
from server.models import AuditEntry, OutgoingMail, PasswordReset
from server.platform.errors import DomainError
from server.platform.outbox import MailWorker
from server.platform.timeutil import now
from server.platform.tokens import digest
from tests.support.graphql import SIGN_IN, gql, sign_in
from tests.support.pages import csrf_from, submit
from tests.support.smtp import SmtpServer
from tests.support.world import World

ME = "{ me { user { email } } }"
REQUEST = "mutation R($e: String!) { requestPasswordReset(email: $e) { done errors { code } } }"
RESET = (
    "mutation S($t: String!, $p: String!) { resetPassword(token: $t, password: $p) { done errors { code } } }"
)


async def _mailed_token(smtp: SmtpServer, worker: MailWorker, email: str) -> str:
    await worker.run_once()
    [message] = smtp.inbox.to(email)
    return smtp.inbox.link_in(message, "/password/reset/").rsplit("/", 1)[1]


async def test_a_person_resets_a_forgotten_password_from_the_sign_in_page(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as laptop:
        await sign_in(laptop, world.hanbit_rep.email, world.hanbit_rep.password)  # signed in elsewhere
        assert "/password/forgot" in (await client.get("/signin")).text
        known = await submit(
            client, "/password/forgot", "/password/forgot", {"email": world.hanbit_rep.email}
        )
        unknown = await submit(
            client, "/password/forgot", "/password/forgot", {"email": "nobody@hanbit.test"}
        )
        assert known.status_code == unknown.status_code == 200
        assert "링크를 보냈습니다" in known.text and known.text == unknown.text
        token = await _mailed_token(smtp, mail_worker, world.hanbit_rep.email)
        assert len(smtp.inbox.messages) == 1
        stored = await PasswordReset.get()
        assert stored.token_hash == digest(token) and token not in str(stored.__dict__)

        page = await client.get(f"/password/reset/{token}")
        assert page.status_code == 200 and "새 비밀번호 설정" in page.text
        short = await client.post(
            f"/password/reset/{token}",
            data={"password": "short", "csrf_token": await csrf_from(client, "/signin")},
        )
        assert short.status_code == 400
        done = await submit(
            client, f"/password/reset/{token}", f"/password/reset/{token}", {"password": "my-new-password-1"}
        )
        assert done.status_code == 200 and "새 비밀번호가 설정되었고" in done.text
        assert (await gql(laptop, ME))["me"] is None  # every session ended

        again = await client.get(f"/password/reset/{token}")
        assert again.status_code == 400 and "더 이상 유효하지 않습니다" in again.text
        old = await gql(
            client, SIGN_IN, {"email": world.hanbit_rep.email, "password": world.hanbit_rep.password}
        )
        assert old["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
        await sign_in(client, world.hanbit_rep.email, "my-new-password-1")


async def test_by_graphql_the_answer_is_the_same_for_unknown_e_mails_and_a_link_works_once(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    known = await gql(client, REQUEST, {"e": world.admin.email})
    unknown = await gql(client, REQUEST, {"e": "ghost@club.test"})
    assert known == {"requestPasswordReset": {"done": True, "errors": []}}
    assert unknown == {"requestPasswordReset": {"done": True, "errors": []}}
    assert await OutgoingMail.filter(recipient="ghost@club.test").count() == 0
    token = await _mailed_token(smtp, mail_worker, world.admin.email)
    first = await gql(client, RESET, {"t": token, "p": "another-long-password"})
    assert first["resetPassword"] == {"done": True, "errors": []}
    reused = await gql(client, RESET, {"t": token, "p": "yet-another-password"})
    assert reused["resetPassword"]["errors"] == [{"code": "EXPIRED"}]
    await sign_in(client, world.admin.email, "another-long-password")


async def test_an_expired_link_is_refused(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await gql(client, REQUEST, {"e": world.lg_coordinator.email})
    token = await _mailed_token(smtp, mail_worker, world.lg_coordinator.email)
    stored = await PasswordReset.get()
    assert timedelta(minutes=25) < stored.expires_at - now() <= timedelta(minutes=30)
    await PasswordReset.all().update(expires_at=now() - timedelta(seconds=1))
    refused = await gql(client, RESET, {"t": token, "p": "another-long-password"})
    assert refused["resetPassword"]["errors"] == [{"code": "EXPIRED"}]
    page = await client.get(f"/password/reset/{token}")
    assert page.status_code == 400 and "새 링크를 요청하세요" in page.text


async def test_asking_again_and_again_mails_at_most_three_live_links(
    client: httpx.AsyncClient, world: World
) -> None:
    for _ in range(5):
        assert (await gql(client, REQUEST, {"e": world.admin.email}))["requestPasswordReset"]["done"] is True
    assert await OutgoingMail.filter(recipient=world.admin.email).count() == 3


@pytest.mark.postgres_only
async def test_one_link_submitted_many_times_at_once_sets_the_password_once(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await gql(client, REQUEST, {"e": world.hanbit_rep.email})
    token = await _mailed_token(smtp, mail_worker, world.hanbit_rep.email)
    answers = await asyncio.gather(
        *(credentials_reset(token, f"parallel-password-{n}") for n in range(5)), return_exceptions=True
    )
    assert sum(1 for a in answers if not isinstance(a, Exception)) == 1
    assert all(isinstance(a, DomainError) for a in answers if isinstance(a, Exception))
    assert await AuditEntry.filter(action="user.reset_password").count() == 1
