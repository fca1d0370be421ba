"""Mail is written with the change, sent by the worker, retried while the server is down, never lost."""

from __future__ import annotations

import asyncio

from server.models import MailStatus, OutgoingMail
from server.outbox import MailWorker, backoff, queue_mail, smtp_transport
from server.settings import Settings
from tests.support.smtp import SmtpServer, free_port
from tests.support.world import World


async def _queue(n: int = 1) -> None:
    for i in range(n):
        await queue_mail(
            f"person{i}@club.test",
            "invitation",
            organization=_Org(),
            inviter=_Org(),
            role="coordinator",
            link=f"http://testserver/invitations/t{i}",
            expires_at=__import__("server.timeutil").timeutil.now(),
        )


class _Org:
    name_ko = "삼성전자"
    name_en = "Samsung Electronics"
    name = "김협력"


async def test_a_mail_waits_while_the_server_is_down_and_goes_out_when_it_is_back(
    db: object, settings: Settings
) -> None:
    await _queue()
    down = MailWorker(smtp_transport(f"smtp://127.0.0.1:{free_port()}", settings.mail_from))
    assert await down.run_once() == 1
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.PENDING and mail.attempts == 1 and mail.last_error
    assert mail.next_attempt_at > mail.created_at  # backed off, not retried in a busy loop
    assert await down.run_once() == 0  # not due yet

    server = SmtpServer()
    server.start()
    try:
        mail.next_attempt_at = mail.created_at
        await mail.save()
        assert await MailWorker(smtp_transport(server.url, settings.mail_from)).run_once() == 1
    finally:
        server.stop()
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.SENT and mail.attempts == 2
    assert [m["To"] for m in server.inbox.messages] == ["person0@club.test"]


def test_retries_back_off_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20).total_seconds() == 3600


async def test_two_workers_never_send_the_same_mail_twice(
    db: object, smtp: SmtpServer, settings: Settings
) -> None:
    await _queue(10)
    first = MailWorker(smtp_transport(smtp.url, settings.mail_from))
    second = MailWorker(smtp_transport(smtp.url, settings.mail_from))
    tried = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(tried) == 10
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(f"person{i}@club.test" for i in range(10))
    assert await OutgoingMail.filter(status=MailStatus.SENT).count() == 10


async def test_the_secretariat_reads_the_outbox_and_others_may_not(client: object, world: World) -> None:
    import httpx

    from tests.support.graphql import sign_in

    assert isinstance(client, httpx.AsyncClient)
    await _queue(2)
    await sign_in(client, world.admin.email, world.admin.password)
    page = await client.get("/mail")
    assert page.status_code == 200 and "person1@club.test" in page.text
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await client.get("/mail")).status_code == 404
