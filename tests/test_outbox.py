"""Mail is written with the change, sent by the worker, retried while the server is down, never lost."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from server.models import AuditEntry, MailStatus, OutgoingMail, RoleKind
from server.platform.errors import DomainError, ErrorCode
from server.platform.mail_log import give_up_mail, resend_mail
from server.platform.outbox import MailWorker, backoff, queue_mail, smtp_transport
from server.platform.settings import Settings
from server.platform.timeutil import now
from tests.support.costs import acting
from tests.support.smtp import SmtpServer, free_port
from tests.support.world import World
from web.app import create_app


async def _queue(n: int = 1) -> None:
    for i in range(n):
        await queue_mail(
            f"person{i}@club.test",
            "invitation",
            organization=_Org(),
            inviter=_Org(),
            role="coordinator",
            link=f"http://testserver/invitations/t{i}-secret",
            expires_at=now(),
        )


class _Org:
    name_ko = "삼성전자"
    name_en = "Samsung Electronics"
    name = "김협력"


def _down(settings: Settings) -> MailWorker:
    return MailWorker(
        smtp_transport(f"smtp://127.0.0.1:{free_port()}", settings.mail_from), settings.mail_from
    )


async def _time_passes() -> None:
    """Every waiting mail becomes due, as if its back-off had elapsed."""
    await OutgoingMail.filter(status__in=[MailStatus.PENDING, MailStatus.FAILED]).update(
        next_attempt_at=now() - timedelta(seconds=1)
    )


async def test_a_mail_waits_while_the_server_is_down_and_goes_out_when_it_is_back(
    db: object, settings: Settings
) -> None:
    await _queue()
    down = _down(settings)
    assert await down.run_once() == 1
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.PENDING and mail.attempts == 1 and mail.last_error
    assert mail.next_attempt_at > mail.created_at  # backed off, not retried in a busy loop
    assert await down.run_once() == 0  # not due yet

    server = SmtpServer()
    server.start()
    try:
        await _time_passes()
        assert await MailWorker(smtp_transport(server.url, settings.mail_from)).run_once() == 1
    finally:
        server.stop()
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.SENT and mail.attempts == 2
    assert [m["To"] for m in server.inbox.messages] == ["person0@club.test"]


async def test_an_outage_longer_than_the_fast_retries_never_drops_the_mail(
    db: object, settings: Settings, smtp: SmtpServer
) -> None:
    await _queue()
    down = _down(settings)
    for _ in range(12):  # 8 fast tries (about an hour), then 4 slow ones
        await _time_passes()
        assert await down.run_once() == 1
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.FAILED and mail.attempts == 12 and mail.last_error
    wait = mail.next_attempt_at - now()
    assert timedelta(hours=5) < wait <= timedelta(hours=6)  # still retried, slowly

    await _time_passes()
    assert await MailWorker(smtp_transport(smtp.url, settings.mail_from)).run_once() == 1
    mail = await OutgoingMail.get()
    assert mail.status == MailStatus.SENT and mail.attempts == 13
    assert [m["To"] for m in smtp.inbox.messages] == ["person0@club.test"]


async def test_a_mail_that_cannot_even_be_written_is_kept_with_its_error(
    db: object, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _queue()
    await OutgoingMail.all().update(recipient="person0@club.test\nBcc: everyone@club.test")
    await _queue()
    assert await mail_worker.run_once() == 2  # the bad one does not stop the good one
    bad = await OutgoingMail.get(recipient__contains="Bcc")
    assert bad.status == MailStatus.PENDING and bad.attempts == 1 and "linefeed" in bad.last_error
    assert [m["To"] for m in smtp.inbox.messages] == ["person0@club.test"]


def test_retries_back_off_fast_for_an_hour_then_every_six_hours_at_most() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert sum(backoff(n).total_seconds() for n in range(1, 8)) < 2 * 3600  # the fast tries
    assert [backoff(n).total_seconds() / 3600 for n in (8, 9, 10, 11, 50)] == [1, 2, 4, 6, 6]


async def test_a_sent_mail_carries_a_date_and_one_message_id_across_its_retries(
    db: object, settings: Settings, smtp: SmtpServer
) -> None:
    await _queue()
    await _down(settings).run_once()
    first_id = (await OutgoingMail.get()).message_id
    assert first_id.startswith("<") and first_id.endswith("@techclub.test>")

    await _time_passes()
    await MailWorker(smtp_transport(smtp.url, settings.mail_from), settings.mail_from).run_once()
    (received,) = smtp.inbox.messages
    assert received["Message-ID"] == first_id == (await OutgoingMail.get()).message_id
    sent_at = parsedate_to_datetime(received["Date"])
    assert sent_at.tzinfo is not None and abs(sent_at - now()) < timedelta(minutes=1)


async def test_each_mail_has_its_own_message_id(
    db: object, settings: Settings, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _queue(3)
    assert await mail_worker.run_once() == 3
    ids = {m["Message-ID"] for m in smtp.inbox.messages}
    assert len(ids) == 3 and all(i.endswith("@techclub.test>") for i in ids)


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


@pytest.mark.postgres_only
async def test_two_workers_share_failing_and_pending_mail_without_sending_any_twice(
    db: object, smtp: SmtpServer, settings: Settings
) -> None:
    await _queue(40)
    # Half of them already failed for hours and are due for a slow retry.
    failing = await OutgoingMail.filter(id__lte=20).values_list("id", flat=True)
    await OutgoingMail.filter(id__in=failing).update(status=MailStatus.FAILED, attempts=9, last_error="down")
    workers = [MailWorker(smtp_transport(smtp.url, settings.mail_from), settings.mail_from) for _ in range(2)]
    tried = await asyncio.gather(*(w.run_once() for w in workers for _ in range(3)))
    assert sum(tried) == 40
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(f"person{i}@club.test" for i in range(40))
    assert len({m["Message-ID"] for m in smtp.inbox.messages}) == 40
    assert await OutgoingMail.filter(status=MailStatus.SENT).count() == 40


async def test_a_mail_left_sending_by_a_stopped_worker_is_taken_up_once_its_lease_ends(
    db: object, world: World, settings: Settings, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _queue()
    await OutgoingMail.all().update(status=MailStatus.SENDING, next_attempt_at=now() + timedelta(minutes=4))
    assert await mail_worker.run_once() == 0  # another worker holds it
    mail = await OutgoingMail.get()
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    for act in (resend_mail, give_up_mail):  # a person never acts under a worker's feet
        with pytest.raises(DomainError) as busy:
            await act(actor=admin, mail_id=mail.id)
        assert busy.value.errors[0].code == ErrorCode.INVALID_STATE
    assert not await AuditEntry.exists(record_type="OutgoingMail")

    await OutgoingMail.all().update(next_attempt_at=now() - timedelta(seconds=1))  # that worker died
    assert await mail_worker.run_once() == 1
    assert (await OutgoingMail.get()).status == MailStatus.SENT and len(smtp.inbox.messages) == 1


async def test_the_secretariat_resends_a_failing_mail_now(
    db: object, world: World, settings: Settings, smtp: SmtpServer
) -> None:
    await _queue()
    await OutgoingMail.all().update(
        status=MailStatus.FAILED, attempts=9, last_error="down", next_attempt_at=now() + timedelta(hours=6)
    )
    mail = await OutgoingMail.get()
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    resent = await resend_mail(actor=admin, mail_id=mail.id)
    assert resent.status == MailStatus.PENDING and resent.next_attempt_at <= now()
    assert resent.attempts == 9 and resent.last_error == "down"  # its history stays readable
    assert await AuditEntry.exists(action="mail.resend", record_id=str(mail.id), actor_id=world.admin.user.id)

    assert await MailWorker(smtp_transport(smtp.url, settings.mail_from)).run_once() == 1
    assert (await OutgoingMail.get()).status == MailStatus.SENT
    with pytest.raises(DomainError) as sent:
        await resend_mail(actor=admin, mail_id=mail.id)
    assert sent.value.errors[0].code == ErrorCode.INVALID_STATE


async def test_only_a_person_gives_up_on_a_mail_and_it_is_recorded(
    db: object, world: World, settings: Settings
) -> None:
    await _queue()
    mail = await OutgoingMail.get()
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    given_up = await give_up_mail(actor=admin, mail_id=mail.id)
    assert given_up.status == MailStatus.GIVEN_UP and given_up.given_up_at is not None
    assert given_up.given_up_by_id == world.admin.user.id  # type: ignore[attr-defined]
    entry = await AuditEntry.get(action="mail.give_up", record_id=str(mail.id))
    assert entry.actor_id == world.admin.user.id  # type: ignore[attr-defined]

    await _time_passes()
    assert await _down(settings).run_once() == 0  # nobody retries it any more
    with pytest.raises(DomainError) as again:
        await give_up_mail(actor=admin, mail_id=mail.id)
    assert again.value.errors[0].code == ErrorCode.INVALID_STATE

    # Given up by mistake: a resend brings it back.
    assert (await resend_mail(actor=admin, mail_id=mail.id)).status == MailStatus.PENDING


async def test_only_the_secretariat_resends_or_gives_up(db: object, world: World) -> None:
    await _queue()
    mail = await OutgoingMail.get()
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    for act in (resend_mail, give_up_mail):
        with pytest.raises(DomainError) as refused:
            await act(actor=coordinator, mail_id=mail.id)
        assert refused.value.errors[0].code == ErrorCode.FORBIDDEN
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    with pytest.raises(DomainError) as missing:
        await give_up_mail(actor=admin, mail_id=mail.id + 1000)
    assert missing.value.errors[0].code == ErrorCode.NOT_FOUND
    assert (await OutgoingMail.get()).status == MailStatus.PENDING


def _app_worker(settings: Settings, environment: str) -> MailWorker:
    """The worker an app process runs without SMTP_URL: it sends to the log."""
    worker = create_app(replace(settings, environment=environment), run_workers=False).state.mail_worker
    assert isinstance(worker, MailWorker)
    return worker


async def test_in_production_the_log_never_shows_a_secret_link_nor_whom_a_mail_is_for(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await _queue(2)
    caplog.set_level(logging.INFO, logger="club.mail")
    assert await _app_worker(settings, "production").run_once() == 2
    assert "secret" not in caplog.text and "/invitations/" not in caplog.text
    assert "person1@club.test" not in caplog.text and "삼성전자" not in caplog.text
    message_ids = await OutgoingMail.all().values_list("message_id", flat=True)
    assert all(str(message_id) in caplog.text for message_id in message_ids)


async def test_in_development_the_log_shows_the_link_to_follow(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await _queue()
    caplog.set_level(logging.INFO, logger="club.mail")
    assert await _app_worker(settings, "development").run_once() == 1
    assert "http://testserver/invitations/t0-secret" in caplog.text
