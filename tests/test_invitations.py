"""The secretariat invites a person by mail; the link works once, for a while, and lets them in."""

from __future__ import annotations

from datetime import timedelta

import httpx

from server.models import Invitation, MailStatus, OutgoingMail, Role, RoleKind, User
from server.platform.outbox import MailWorker
from tests.support.graphql import gql, sign_in
from tests.support.smtp import SmtpServer
from tests.support.world import World

INVITE = """
mutation Invite($email: String!, $org: Int!, $role: Role!) {
  inviteUser(email: $email, organizationId: $org, role: $role) { email expiresAt errors { field code message } }
}
"""
ACCEPT = """
mutation Accept($token: String!, $name: String!, $password: String!) {
  acceptInvitation(token: $token, name: $name, password: $password) {
    me { user { email name } role actingFor { nameKo } roles { role organization { nameKo } } }
    errors { field code message }
  }
}
"""
ME = "{ me { user { email } role actingFor { id nameKo } roles { role organization { id } } } }"


async def _invite(
    client: httpx.AsyncClient, world: World, email: str, org_id: int, role: str
) -> dict[str, object]:
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(client, INVITE, {"email": email, "org": org_id, "role": role})
    await gql(client, "mutation { signOut { signedOut } }")
    return dict(data["inviteUser"])


async def _token_from_mail(smtp: SmtpServer, worker: MailWorker, email: str) -> str:
    await worker.run_once()
    [message] = smtp.inbox.to(email)
    return smtp.inbox.link_in(message, "/invitations/").rsplit("/", 1)[1]


async def test_an_invited_coordinator_sets_a_password_from_the_mailed_link_and_is_in(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    invited = await _invite(client, world, "New.Person@Samsung.test", world.samsung.id, "COORDINATOR")
    assert invited["errors"] == [] and invited["email"] == "new.person@samsung.test"
    token = await _token_from_mail(smtp, mail_worker, "new.person@samsung.test")
    [message] = smtp.inbox.messages
    assert "삼성전자" in message["Subject"]

    data = await gql(client, ACCEPT, {"token": token, "name": "최신입", "password": "a-long-password"})
    assert data["acceptInvitation"]["errors"] == []
    assert data["acceptInvitation"]["me"]["role"] == "COORDINATOR"
    assert data["acceptInvitation"]["me"]["actingFor"]["nameKo"] == "삼성전자"
    me = await gql(client, ME)
    assert me["me"]["user"]["email"] == "new.person@samsung.test"
    stored = await User.get(email="new.person@samsung.test")
    assert stored.password_hash and stored.password_hash.startswith("$argon2id$")


async def test_an_invitation_link_works_only_once(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _invite(client, world, "once@lg.test", world.lg.id, "COORDINATOR")
    token = await _token_from_mail(smtp, mail_worker, "once@lg.test")
    first = await gql(client, ACCEPT, {"token": token, "name": "한번", "password": "a-long-password"})
    assert first["acceptInvitation"]["errors"] == []
    second = await gql(client, ACCEPT, {"token": token, "name": "두번", "password": "another-password"})
    assert second["acceptInvitation"]["errors"][0]["code"] == "ALREADY_USED"
    assert await Role.filter(user__email="once@lg.test").count() == 1
    page = await client.get(f"/invitations/{token}")
    assert page.status_code == 400 and "이미 사용된 초대" in page.text


async def test_an_expired_invitation_is_refused_and_creates_no_account(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _invite(client, world, "late@lg.test", world.lg.id, "COORDINATOR")
    token = await _token_from_mail(smtp, mail_worker, "late@lg.test")
    invitation = await Invitation.get(email="late@lg.test")
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    await invitation.save()
    data = await gql(client, ACCEPT, {"token": token, "name": "늦음", "password": "a-long-password"})
    assert data["acceptInvitation"]["errors"][0]["code"] == "EXPIRED"
    assert not await User.exists(email="late@lg.test")


async def test_a_short_password_is_refused_and_the_link_still_works(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await _invite(client, world, "short@lg.test", world.lg.id, "COORDINATOR")
    token = await _token_from_mail(smtp, mail_worker, "short@lg.test")
    data = await gql(client, ACCEPT, {"token": token, "name": "", "password": "short"})
    assert {e["field"] for e in data["acceptInvitation"]["errors"]} == {"name", "password"}
    assert not await User.exists(email="short@lg.test")
    retry = await gql(client, ACCEPT, {"token": token, "name": "다시", "password": "long-enough-now"})
    assert retry["acceptInvitation"]["errors"] == []


async def test_a_person_in_two_organisations_switches_between_them(
    client: httpx.AsyncClient, world: World, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    # The SME's representative is also asked to help the secretariat.
    await _invite(client, world, world.hanbit_rep.email, world.secretariat.id, "SECRETARIAT")
    token = await _token_from_mail(smtp, mail_worker, world.hanbit_rep.email)
    wrong = await gql(client, ACCEPT, {"token": token, "name": "", "password": "not-the-password"})
    assert wrong["acceptInvitation"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    accepted = await gql(client, ACCEPT, {"token": token, "name": "", "password": world.hanbit_rep.password})
    assert len(accepted["acceptInvitation"]["me"]["roles"]) == 2

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await gql(client, ME))["me"]["actingFor"]["id"] == world.hanbit.id
    switch = (
        "mutation S($id: Int!) { switchOrganization(organizationId: $id) { me { role } errors { code } } }"
    )
    switched = await gql(client, switch, {"id": world.secretariat.id})
    assert switched["switchOrganization"]["me"]["role"] == "SECRETARIAT"
    assert (await gql(client, ME))["me"]["actingFor"]["id"] == world.secretariat.id
    refused = await gql(client, switch, {"id": world.samsung.id})
    assert refused["switchOrganization"]["errors"] == [{"code": "NOT_FOUND"}]


async def test_a_coordinator_invites_colleagues_but_not_into_other_companies(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    own = await gql(
        client, INVITE, {"email": "colleague@samsung.test", "org": world.samsung.id, "role": "COORDINATOR"}
    )
    assert own["inviteUser"]["errors"] == []
    wrong_role = await gql(
        client, INVITE, {"email": "x@samsung.test", "org": world.samsung.id, "role": "SECRETARIAT"}
    )
    assert wrong_role["inviteUser"]["errors"][0]["field"] == "role"
    other = await gql(client, INVITE, {"email": "spy@lg.test", "org": world.lg.id, "role": "COORDINATOR"})
    assert other["inviteUser"]["errors"][0]["code"] == "NOT_FOUND"
    assert await Invitation.all().count() == 1
    assert await OutgoingMail.filter(status=MailStatus.PENDING).count() == 1


async def test_inviting_someone_already_in_the_organisation_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(
        client,
        INVITE,
        {"email": world.samsung_coordinator.email, "org": world.samsung.id, "role": "COORDINATOR"},
    )
    assert data["inviteUser"]["errors"][0]["code"] == "DUPLICATE"
    assert await Role.filter(organization_id=world.samsung.id, kind=RoleKind.COORDINATOR).count() == 1
