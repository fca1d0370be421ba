"""Personal data as PIPA expects: a versioned notice people accept (at account creation, and again when a
new version is published, before anything else); everything the club holds about a person, downloadable;
removal at their request, completed by the secretariat, after which no table holds their name or e-mail
and the books still agree; mail bodies and access records purged after the retention period."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import httpx
from tortoise import Tortoise, fields

from server.membership.invitations import invite_user
from server.models import (
    AuditEntry,
    Invitation,
    MailStatus,
    OutgoingMail,
    RoleKind,
    SignInThrottle,
    User,
    UserSession,
)
from server.money.claims import approve_claim
from server.money.reconcile import check_books
from server.platform.config import configure
from server.platform.outbox import queue_mail
from server.platform.settings import Settings
from server.platform.timeutil import now
from server.platform.tokens import digest
from server.privacy import notice
from server.privacy.retention import purge_expired_personal_data
from tests.support import costs
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.seminars import published, register
from tests.support.world import World

NOTICE = "{ privacyNotice { version text textKo textEn } }"
ACCEPT = "mutation($v: Int!) { acceptPrivacyNotice(version: $v) { acceptedVersion errors { code } } }"
REQUEST = "mutation { requestAccountRemoval { removalRequest { id status } errors { code } } }"
REQUESTS = "{ removalRequests { totalCount nodes { id status lastMemberOf user { email } } } }"
COMPLETE = """mutation($id: Int!, $confirmed: Boolean!) {
  completeAccountRemoval(requestId: $id, lastMemberConfirmed: $confirmed) {
    removalRequest { status user { name email } } errors { field code message } } }"""


async def test_a_new_version_of_the_notice_is_asked_before_anything_else_and_the_acceptance_recorded(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: a person who has not accepted the current version meets the notice on every page until they
    accept it; the version and the time are recorded, with an audit entry."""
    rep = world.hanbit_rep
    await sign_in_as(client, rep.email, rep.password)
    assert (await client.get("/claims")).status_code == 200  # version 1, accepted when they joined
    await notice.publish_notice(
        actor=acting(world.admin, RoleKind.SECRETARIAT),
        text_ko="제2판 처리방침",
        text_en="Version 2",
        summary_of_changes="보유 기간 변경",
    )
    try:
        asked = await client.get("/claims")
        assert asked.status_code == 303 and asked.headers["location"] == "/privacy/notice?next=/claims"
        page = await client.get("/privacy/notice?next=/claims")
        assert "제2판 처리방침" in page.text and "변경되었습니다" in page.text
        accepted = await submit(
            client, "/privacy/notice", "/privacy/notice", {"version": "2", "next": "/claims"}
        )
        assert accepted.status_code == 303 and accepted.headers["location"] == "/claims"
        assert (await client.get("/claims")).status_code == 200
        user = await User.get(id=rep.user.id)
        assert user.privacy_notice_version == 2 and user.privacy_notice_accepted_at is not None
        assert await AuditEntry.exists(action="privacy.accept", actor_id=rep.user.id, after={"version": 2})
        # GraphQL: the current text in the asker's language; accepting an outdated version is refused
        await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
        shown = (await gql(client, NOTICE))["privacyNotice"]
        assert shown["version"] == 2 and shown["text"] == "Version 2" and shown["textKo"] == "제2판 처리방침"
        stale = (await gql(client, ACCEPT, {"v": 1}))["acceptPrivacyNotice"]
        assert stale == {"acceptedVersion": None, "errors": [{"code": "INVALID_STATE"}]}
        assert (await gql(client, ACCEPT, {"v": 2}))["acceptPrivacyNotice"]["acceptedVersion"] == 2
    finally:
        notice.forget_current_version()


async def test_a_new_account_accepts_the_notice_on_the_invitation_page(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: the invitation page shows the notice with a required consent; the new account records it, and
    its first page opens at once. Without that consent the first page asks for it."""
    for email, consent, first_page in [("new1@samsung.test", True, 200), ("new2@samsung.test", False, 303)]:
        secret = f"invitation-secret-{email}"
        await Invitation.create(
            email=email,
            organization=world.samsung,
            role=RoleKind.COORDINATOR,
            token_hash=digest(secret),
            invited_by=world.samsung_coordinator.user,
            expires_at=now() + timedelta(days=3),
        )
        client.cookies.clear()
        form = await client.get(f"/invitations/{secret}")
        assert (
            'name="privacy_notice_version" value="1" required' in form.text
            and "개인정보 처리방침" in form.text
        )
        data = {"name": "새직원", "password": "a-long-password-1"} | (
            {"privacy_notice_version": "1"} if consent else {}
        )
        assert (
            await submit(client, f"/invitations/{secret}", f"/invitations/{secret}", data)
        ).status_code == 303
        user = await User.get(email=email)
        assert (user.privacy_notice_version == 1) is consent
        assert (await client.get("/commitments")).status_code == first_page


async def test_my_personal_data_holds_everything_about_me_and_no_secret(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: the download (and the page, and myPersonalData) has the account, memberships, sessions without
    their secrets, registrations, claims submitted, audit entries about the person and mails sent to them."""
    rep = world.hanbit_rep
    commitment = await costs.commitment(world.samsung_coordinator)
    claim = await costs.claim(rep, commitment)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=claim.id)
    seminar = await published(world.admin)
    await register(rep, seminar)
    await sign_in_as(client, rep.email, rep.password)
    download = await client.get("/privacy/my-data.json")
    assert download.headers["content-disposition"].startswith("attachment")
    data = json.loads(download.text)
    assert data["account"]["email"] == rep.email and data["account"]["privacy_notice_version"] == 1
    assert data["memberships"] == [
        {"organization": "한빛정밀", "role": "중소기업 담당자", "since": data["memberships"][0]["since"]}
    ]
    assert len(data["sessions"]) == 1 and "secret" not in json.dumps(data["sessions"])
    session = await UserSession.get(user_id=rep.user.id)
    assert session.secret_hash not in download.text
    assert [r["seminar"] for r in data["registrations"]] == [seminar.title_ko]
    assert [c["id"] for c in data["claims_submitted"]] == [claim.id]
    assert any(e["what"] == "지원 신청" and e["record"] == f"신청 #{claim.id}" for e in data["audit_entries"])
    assert data["mails"] and all(set(m) == {"subject", "created_at", "sent_at"} for m in data["mails"])
    page = await client.get("/privacy")
    assert page.status_code == 200 and seminar.title_ko in page.text and rep.email in page.text
    await sign_in(client, rep.email, rep.password)
    mine = (await gql(client, "{ myPersonalData }"))["myPersonalData"]
    assert mine["account"] == data["account"] | {"last_login_at": mine["account"]["last_login_at"]}


async def _text_holding(needles: list[str]) -> list[str]:
    """Every table.column, of every table the models declare, whose text or JSON holds one of the needles."""
    found = []
    for model in Tortoise.apps["club"].values():
        columns = [
            name
            for name, field in model._meta.fields_map.items()
            if isinstance(field, (fields.CharField, fields.TextField, fields.JSONField))
        ]
        for row in await model.all().values(*columns) if columns else []:
            for column, value in row.items():
                text = json.dumps(value, ensure_ascii=False, default=str).lower()
                if any(n.lower() in text for n in needles):
                    found.append(f"{model._meta.db_table}.{column}")
    return sorted(set(found))


async def _a_full_life(client: httpx.AsyncClient, world: World) -> None:
    """The SME representative leaves traces everywhere a person can."""
    rep = world.hanbit_rep
    commitment = await costs.commitment(world.samsung_coordinator)
    claim = await costs.claim(rep, commitment)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=claim.id)
    await register(rep, await published(world.admin))
    await invite_user(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR),
        email=rep.email,
        organization_id=world.samsung.id,
        role=RoleKind.COORDINATOR,
    )
    await queue_mail(
        world.admin.email, "password_reset", user=world.admin.user, link="https://x/reset/1", expires_at=now()
    )
    client.cookies.clear()
    await submit(client, "/signin", "/signin", {"email": rep.email, "password": "wrong-password!"})
    await sign_in_as(client, rep.email, rep.password)
    await gql(client, 'mutation { createApiToken(name: "이대표의 스크립트") { secret } }')


async def test_removal_leaves_no_name_or_e_mail_anywhere_and_the_books_agree(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: after the secretariat completes a removal, no text or JSON column of any table holds the
    person's name or e-mail; claims, ledger and audit entries stay, with role and organisation; the account
    cannot be used; check_books finds nothing."""
    rep = world.hanbit_rep
    await _a_full_life(client, world)
    assert await _text_holding([rep.email, "이대표"])  # the scan sees them before
    confirm = await submit(client, "/privacy", "/privacy/removal", {})
    assert "탈퇴를 요청할까요?" in confirm.text and not await _removal_requested()
    await submit(client, "/privacy", "/privacy/removal", {"confirmed": "yes"})
    await sign_in(client, world.admin.email, world.admin.password)
    waiting = (await gql(client, REQUESTS))["removalRequests"]
    assert waiting["totalCount"] == 1 and waiting["nodes"][0]["lastMemberOf"] == ["한빛정밀"]
    request_id = waiting["nodes"][0]["id"]
    refused = (await gql(client, COMPLETE, {"id": request_id, "confirmed": False}))["completeAccountRemoval"]
    assert refused["errors"][0]["field"] == "last_member_confirmed" and refused["removalRequest"] is None
    done = (await gql(client, COMPLETE, {"id": request_id, "confirmed": True}))["completeAccountRemoval"]
    assert done["errors"] == [] and done["removalRequest"]["status"] == "COMPLETED"
    assert done["removalRequest"]["user"] == {
        "name": "(탈퇴한 사용자)",
        "email": f"removed-{rep.user.id}@removed.invalid",
    }

    assert await _text_holding([rep.email, "이대표"]) == []
    record = await AuditEntry.get(action="privacy.complete_removal")
    assert {"user.email", "user.name", "audit_entry.after", "partnership.contact_email"} <= set(
        record.after["anonymised"]
    )
    assert await check_books() == []
    entry = await AuditEntry.get(action="claim.submit")
    assert (entry.actor_id, entry.role, entry.organization_id) == (
        rep.user.id,
        "sme_representative",
        world.hanbit.id,
    )
    assert not await UserSession.exists(user_id=rep.user.id) and not await SignInThrottle.exists(
        key__icontains="hanbit"
    )
    client.cookies.clear()
    gone = await client.post(
        "/graphql",
        json={
            "query": 'mutation { signIn(email: "rep@hanbit.test", password: "correct-horse-battery") { errors { code } } }'
        },
    )
    assert gone.json()["data"]["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert await OutgoingMail.filter(recipient=f"removed-{rep.user.id}@removed.invalid", body="").exists()
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    claim_page = await client.get(f"/claims/{entry.record_id}")
    assert "(탈퇴한 사용자)" in claim_page.text and "중소기업 담당자" in claim_page.text


async def _removal_requested() -> bool:
    from server.models import RemovalRequest

    return await RemovalRequest.exists()


async def test_only_the_secretariat_sees_and_completes_removal_requests(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: removalRequests and completeAccountRemoval are the secretariat's; others get an empty answer or
    a refusal, and the page answers 404; a second completion changes nothing."""
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    asked = (await gql(client, REQUEST))["requestAccountRemoval"]["removalRequest"]
    assert (await gql(client, REQUEST))["requestAccountRemoval"]["removalRequest"]["id"] == asked["id"]
    for person in (world.samsung_coordinator, world.hanbit_rep):
        await sign_in(client, person.email, person.password)
        response = await client.post("/graphql", json={"query": REQUESTS})
        assert response.json()["data"] is None or response.json()["data"]["removalRequests"] is None
        refused = (await gql(client, COMPLETE, {"id": asked["id"], "confirmed": True}))[
            "completeAccountRemoval"
        ]
        assert refused["errors"][0]["code"] == "FORBIDDEN"
        await sign_in_as(client, person.email, person.password)
        assert (await client.get("/privacy/removals")).status_code == 404
    assert (await User.get(id=world.lg_coordinator.user.id)).is_active


async def test_the_retention_job_purges_old_mail_bodies_and_access_records_only(
    world: World, settings: Settings
) -> None:
    """Rule: past PERSONAL_DATA_RETENTION_DAYS, a sent mail keeps recipient, subject and date but not its
    body; an old session loses its browser and address; newer ones are untouched (a clock decides)."""
    configure(dataclasses.replace(settings, personal_data_retention_days=30))
    old = await queue_mail(
        world.hanbit_rep.email,
        "password_reset",
        user=world.hanbit_rep.user,
        link="https://x/r/1",
        expires_at=now(),
    )
    new = await queue_mail(
        world.hanbit_rep.email,
        "password_reset",
        user=world.hanbit_rep.user,
        link="https://x/r/2",
        expires_at=now(),
    )
    waiting = await queue_mail(
        world.admin.email, "password_reset", user=world.admin.user, link="https://x/r/3", expires_at=now()
    )
    await OutgoingMail.filter(id__in=[old.id, new.id]).update(status=MailStatus.SENT)
    await OutgoingMail.filter(id__in=[old.id, waiting.id]).update(created_at=now() - timedelta(days=31))
    at = now()
    await UserSession.create(
        secret_hash="s" * 64,
        user=world.hanbit_rep.user,
        organization=world.hanbit,
        created_at=at - timedelta(days=40),
        last_seen_at=at - timedelta(days=40),
        user_agent="Chrome",
        client_address="10.0.0.9",
    )
    purged = await purge_expired_personal_data(at)
    assert (purged.mails, purged.sessions) == (1, 1)
    old_now, new_now, waiting_now = [await OutgoingMail.get(id=m.id) for m in (old, new, waiting)]
    assert (
        old_now.body == "" and old_now.subject == old.subject and old_now.recipient == world.hanbit_rep.email
    )
    assert new_now.body == new.body and waiting_now.body == waiting.body  # recent, or not yet sent
    session = await UserSession.get(secret_hash="s" * 64)
    assert (session.user_agent, session.client_address) == ("", "")
    assert (await purge_expired_personal_data(at)).mails == 0
    later = await purge_expired_personal_data(at + timedelta(days=31))
    assert later.mails == 1


async def test_a_first_single_sign_on_is_asked_to_accept_the_notice_before_anything_else(
    sso_client: httpx.AsyncClient, oidc_provider: str, world: World
) -> None:
    """Rule: an account made by a first SSO sign-in has accepted nothing: its first page is the notice, and
    once accepted the version is recorded and the dashboard opens."""
    await Invitation.create(
        email="sso.new@samsung.test",
        organization=world.samsung,
        role=RoleKind.COORDINATOR,
        token_hash="y" * 64,
        invited_by=world.admin.user,
        expires_at=now() + timedelta(days=3),
    )
    async with httpx.AsyncClient() as browser:
        claims = {
            "sub": "emp-2001",
            "email": "sso.new@samsung.test",
            "email_verified": True,
            "name": "정보안",
        }
        assert (await browser.put(f"{oidc_provider}/users/emp-2001", json=claims)).status_code == 204
        start = await sso_client.get("/sso/start")
        decision = await browser.post(start.headers["location"], data={"sub": "emp-2001"})
    callback = decision.headers["location"]
    signed_in = await sso_client.get(callback[callback.index("/sso/callback") :])
    assert signed_in.status_code == 303
    first = await sso_client.get("/")
    assert first.status_code == 303 and first.headers["location"].startswith("/privacy/notice")
    await submit(sso_client, "/privacy/notice", "/privacy/notice", {"version": "1", "next": "/"})
    assert (await User.get(email="sso.new@samsung.test")).privacy_notice_version == 1
    assert (await sso_client.get("/")).status_code == 200
