"""The pages tell a person what happened and what to do next: a registered organisation is confirmed, a
person who just joined sees where to start, the language switch keeps the page's query, and only those who
may use API tokens see them in the menu."""

from __future__ import annotations

import re

import httpx

from server.membership.invitations import invite_user
from server.models import OutgoingMail, RoleKind
from tests.support.costs import acting
from tests.support.pages import csrf_from, sign_in_page, submit
from tests.support.world import World, person


async def test_a_registered_organisation_is_confirmed_with_the_next_step(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    form = {"kind": "sme", "name_ko": "세진테크", "business_number": "134-86-72683", "sector": "장비"}
    done = await submit(client, "/organizations/new", "/organizations/new", form)
    assert done.status_code == 303 and done.headers["location"].endswith("?created=1")
    page = await client.get(done.headers["location"])
    assert "기관을 등록했습니다. 이제 구성원을 초대하세요." in page.text


async def test_a_person_who_joins_by_invitation_lands_on_what_to_do_next(
    client: httpx.AsyncClient, world: World
) -> None:
    await invite_user(
        actor=acting(world.admin, RoleKind.SECRETARIAT),
        email="new.person@samsung.test",
        organization_id=world.samsung.id,
        role=RoleKind.COORDINATOR,
    )
    mail = await OutgoingMail.get(recipient="new.person@samsung.test")
    found = re.search(r"/invitations/(\S+)", mail.body)
    assert found
    path = f"/invitations/{found.group(1)}"
    invitation = await client.get(path)
    notice = re.search(r'name="privacy_notice_version" value="(\d+)"', invitation.text)
    data = {
        "name": "새담당",
        "password": "a-long-enough-password",
        "csrf_token": await csrf_from(client, path),
    }
    if notice:
        data["privacy_notice_version"] = notice.group(1)
    joined = await client.post(path, data=data)
    assert joined.status_code == 303 and joined.headers["location"] == "/?joined=1"
    home = (await client.get("/?joined=1")).text
    assert "이렇게 시작해 보세요" in home and 'href="/declaration"' in home


async def test_the_language_switch_keeps_the_page_and_its_query(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    page = (await client.get("/claims?status=paid")).text
    link = re.search(r'href="(/lang/en\?next=[^"]+)"', page)
    assert link
    switched = await client.get(link.group(1).replace("&amp;", "&"))
    assert switched.headers["location"] == "/claims?status=paid"


async def test_api_tokens_are_offered_to_those_who_act_for_their_organisation_only(
    client: httpx.AsyncClient, world: World
) -> None:
    staff = await person("staff@hanbit.test", world.hanbit, RoleKind.STAFF, "정직원")
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert 'href="/account/tokens"' in (await client.get("/")).text
    client.cookies.clear()
    await sign_in_page(client, staff.email, staff.password)
    assert 'href="/account/tokens"' not in (await client.get("/")).text
    refused = await submit(client, "/account/tokens", "/account/tokens", {"name": "엑셀 연동"})
    assert refused.status_code in (400, 404)
