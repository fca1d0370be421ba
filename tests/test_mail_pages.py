"""The secretariat sees what is stuck in the outbox, resends or gives up, and never sees a secret link."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from starlette.routing import Route

from server.membership.invitations import invite_user
from server.models import MailStatus, OutgoingMail, RoleKind
from server.platform.redaction import SECRET_LINK_PATHS, redact
from server.platform.settings import Settings
from server.platform.timeutil import now
from tests.support.costs import acting
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.world import World
from web.app import create_app


async def _invitation_mail(world: World, email: str = "new.person@samsung.test") -> tuple[OutgoingMail, str]:
    """A real invitation mail, and the secret link in it that only its recipient may see."""
    await invite_user(
        actor=acting(world.admin, RoleKind.SECRETARIAT),
        email=email,
        organization_id=world.samsung.id,
        role=RoleKind.COORDINATOR,
    )
    mail = await OutgoingMail.get(recipient=email)
    found = re.search(r"http://testserver/invitations/(\S+)", mail.body)
    assert found
    return mail, found.group(1)


async def _admin_in_english(client: httpx.AsyncClient, world: World) -> None:
    await sign_in_as(client, world.admin.email, world.admin.password)
    await client.get("/lang/en?next=/")


async def _failing(mail: OutgoingMail, tries: int = 9) -> None:
    await OutgoingMail.filter(id=mail.id).update(
        status=MailStatus.FAILED,
        attempts=tries,
        last_error="Connection refused",
        next_attempt_at=now() + timedelta(hours=6),
    )


async def test_the_mail_page_shows_failing_mail_with_its_count_but_never_the_link(
    client: httpx.AsyncClient, world: World
) -> None:
    mail, secret = await _invitation_mail(world)
    await _failing(mail)
    await _admin_in_english(client, world)
    page = await client.get("/mail")
    assert page.status_code == 200
    assert secret not in page.text and "/invitations/[hidden]" in page.text
    assert "9 tries" in page.text and "Connection refused" in page.text
    assert re.search(r"Failing mails</span>\s*<b>1</b>", page.text), page.text
    failing = await client.get("/mail?status=failed")
    assert "new.person@samsung.test" in failing.text


async def test_the_secretariat_resends_a_failing_mail_from_the_page(
    client: httpx.AsyncClient, world: World
) -> None:
    mail, _ = await _invitation_mail(world)
    await _failing(mail)
    await sign_in_as(client, world.admin.email, world.admin.password)
    response = await submit(client, "/mail", f"/mail/{mail.id}/resend", {})
    assert response.status_code == 303
    resent = await OutgoingMail.get(id=mail.id)
    assert resent.status == MailStatus.PENDING and resent.next_attempt_at <= now() and resent.attempts == 9


async def test_giving_up_on_a_mail_asks_first_and_says_who_gave_up(
    client: httpx.AsyncClient, world: World
) -> None:
    mail, _ = await _invitation_mail(world)
    await _failing(mail)
    await _admin_in_english(client, world)
    asked = await submit(client, "/mail", f"/mail/{mail.id}/give-up", {})
    assert asked.status_code == 200 and "Yes, give up" in asked.text
    assert (await OutgoingMail.get(id=mail.id)).status == MailStatus.FAILED

    done = await submit(client, "/mail", f"/mail/{mail.id}/give-up", {"confirmed": "yes"})
    assert done.status_code == 303
    assert (await OutgoingMail.get(id=mail.id)).status == MailStatus.GIVEN_UP
    page = await client.get("/mail?status=given_up")
    assert f"Given up by {world.admin.user.name}" in page.text


async def test_others_cannot_act_on_the_outbox_from_the_page(client: httpx.AsyncClient, world: World) -> None:
    mail, _ = await _invitation_mail(world)
    await sign_in_as(client, world.admin.email, world.admin.password)
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/mail")).text)
    assert token
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    own = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/")).text)
    assert own
    for action in ("resend", "give-up"):
        response = await client.post(
            f"/mail/{mail.id}/{action}", data={"csrf_token": own.group(1), "confirmed": "yes"}
        )
        assert response.status_code == 404
    assert (await OutgoingMail.get(id=mail.id)).status == MailStatus.PENDING


async def test_the_dashboard_links_to_failing_and_waiting_mail(
    client: httpx.AsyncClient, world: World
) -> None:
    failing, _ = await _invitation_mail(world)
    await _failing(failing)
    await _invitation_mail(world, "second@samsung.test")
    await sign_in_as(client, world.admin.email, world.admin.password)
    home = await client.get("/")
    assert re.search(r'<a href="/mail\?status=failed">[^<]*1[^<]*</a>', home.text), home.text
    assert re.search(r'<a href="/mail\?status=pending">[^<]*1[^<]*</a>', home.text), home.text


OUTBOX = """
query Outbox($status: MailStatus) {
  outgoingMails(status: $status, first: 10) {
    totalCount pendingCount failingCount
    nodes { id recipient subject body status attempts lastError }
  }
}
"""
RESEND = "mutation($id: Int!) { resendMail(id: $id) { mail { status attempts } errors { code } } }"
GIVE_UP = "mutation($id: Int!) { giveUpMail(id: $id) { mail { status givenUpAt givenUpBy { name } } errors { code } } }"


async def test_graphql_lists_failing_mail_redacted_and_resends_or_gives_up(
    client: httpx.AsyncClient, world: World
) -> None:
    mail, secret = await _invitation_mail(world)
    await _failing(mail)
    await _invitation_mail(world, "second@samsung.test")
    await sign_in(client, world.admin.email, world.admin.password)
    outbox = (await gql(client, OUTBOX, {"status": "FAILED"}))["outgoingMails"]
    assert (outbox["totalCount"], outbox["pendingCount"], outbox["failingCount"]) == (1, 1, 1)
    (node,) = outbox["nodes"]
    assert node["status"] == "FAILED" and node["attempts"] == 9 and node["lastError"] == "Connection refused"
    assert secret not in node["body"] and "/invitations/[hidden]" in node["body"]

    resent = (await gql(client, RESEND, {"id": mail.id}))["resendMail"]
    assert resent == {"mail": {"status": "PENDING", "attempts": 9}, "errors": []}
    given_up = (await gql(client, GIVE_UP, {"id": mail.id}))["giveUpMail"]
    assert given_up["errors"] == [] and given_up["mail"]["status"] == "GIVEN_UP"
    assert given_up["mail"]["givenUpBy"] == {"name": world.admin.user.name} and given_up["mail"]["givenUpAt"]
    again = (await gql(client, GIVE_UP, {"id": mail.id}))["giveUpMail"]
    assert again == {"mail": None, "errors": [{"code": "INVALID_STATE"}]}


async def test_graphql_keeps_the_outbox_to_the_secretariat(client: httpx.AsyncClient, world: World) -> None:
    mail, _ = await _invitation_mail(world)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    response = await client.post("/graphql", json={"query": OUTBOX})
    assert response.json()["data"] is None and response.json()["errors"]
    refused = (await gql(client, GIVE_UP, {"id": mail.id}))["giveUpMail"]
    assert refused == {"mail": None, "errors": [{"code": "FORBIDDEN"}]}
    assert (await OutgoingMail.get(id=mail.id)).status == MailStatus.PENDING


@pytest.mark.parametrize("path", SECRET_LINK_PATHS)
def test_every_kind_of_secret_link_is_hidden(path: str) -> None:
    text = f"Open https://club.example{path}Zq-9_x.ics?x=1 within a day.\n"
    assert redact(text) == f"Open https://club.example{path}[hidden] within a day.\n"


def test_ordinary_links_stay_readable() -> None:
    text = "See https://club.example/seminars/12.ics and https://club.example/organizations/3/invitations"
    assert redact(text) == text


def test_every_page_that_takes_a_secret_in_its_address_is_in_the_redaction_list(settings: Settings) -> None:
    """A new feature that mails a secret link registers its path in server/platform/redaction.py, or this fails."""
    app = create_app(settings, run_workers=False)
    secret_routes = [
        r.path for r in app.routes if isinstance(r, Route) and re.search(r"{(token|secret)\b", r.path)
    ]
    assert secret_routes  # the invitation and calendar links at least
    for path in secret_routes:
        link = "https://club.example" + re.sub(r"{(token|secret)[^}]*}", "S3cr3t-value", path)
        assert "S3cr3t-value" not in redact(link), f"{path} is missing from SECRET_LINK_PATHS"
