"""The secretariat's pages: forms that work without JavaScript, keep input on errors, and are CSRF-protected."""

from __future__ import annotations

import httpx
import pytest

from server.models import AuditEntry, ClubMembership, MembershipStatus, Organization
from tests.support.pages import csrf_from, sign_in_page, submit
from tests.support.world import World


async def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    response = await client.post(
        "/organizations/new",
        data={"kind": "sme", "name_ko": "무단", "business_number": "134-86-72683", "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert "새로고침" in response.text
    assert not await Organization.exists(name_ko="무단")


async def test_the_secretariat_registers_an_sme_on_the_page_after_fixing_a_typo(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    typo = await submit(
        client,
        "/organizations/new",
        "/organizations/new",
        {"kind": "sme", "name_ko": "세진테크", "business_number": "134-86-72684", "sector": "장비"},
    )
    assert typo.status_code == 400
    assert "올바른 사업자등록번호가 아닙니다" in typo.text
    assert 'value="세진테크"' in typo.text  # what was typed is kept
    fixed = await submit(
        client,
        "/organizations/new",
        "/organizations/new",
        {"kind": "sme", "name_ko": "세진테크", "business_number": "134-86-72683", "sector": "장비"},
    )
    assert fixed.status_code == 303
    detail = await client.get(fixed.headers["location"])
    assert "세진테크" in detail.text and "134-86-72683" in detail.text


async def test_withdrawing_a_member_asks_for_confirmation_first(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    page = f"/organizations/{world.samsung.id}"
    asked = await submit(client, page, f"{page}/membership", {"status": "withdrawn"})
    assert asked.status_code == 200 and "변경하시겠습니까" in asked.text
    assert (await ClubMembership.get(organization_id=world.samsung.id)).status == MembershipStatus.APPLIED
    confirmed = await submit(client, page, f"{page}/membership", {"status": "withdrawn", "confirmed": "yes"})
    assert confirmed.status_code == 303
    assert (await ClubMembership.get(organization_id=world.samsung.id)).status == MembershipStatus.WITHDRAWN
    entry = await AuditEntry.get(action="membership.change")
    assert entry.before == {"status": "applied"} and entry.after == {"status": "withdrawn"}


async def test_the_declaration_is_recorded_on_the_page(client: httpx.AsyncClient, world: World) -> None:
    await sign_in_page(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = f"/organizations/{world.samsung.id}"
    missing = await submit(
        client, page, f"{page}/declaration", {"signed_on": "2011-11-01", "signer_name": "홍길동"}
    )
    assert missing.status_code == 400 and "4대 실천 약속 모두에 동의" in missing.text
    pledges = {
        k: "on"
        for k in ("pledge_partnership", "pledge_infrastructure", "pledge_fair_dealing", "pledge_awareness")
    }
    signed = await submit(
        client, page, f"{page}/declaration", {"signed_on": "2011-11-01", "signer_name": "홍길동", **pledges}
    )
    assert signed.status_code == 303
    assert "2011-11-01 서명" in (await client.get(page)).text


async def test_pages_are_korean_by_default_and_english_on_request(
    client: httpx.AsyncClient, db: object
) -> None:
    assert "로그인" in (await client.get("/signin")).text
    switched = await client.get("/lang/en?next=/signin")
    assert switched.status_code == 303 and switched.headers["location"] == "/signin"
    english = await client.get("/signin")
    assert ">Sign in<" in english.text and 'lang="en"' in english.text


async def test_a_language_switch_never_redirects_off_site(client: httpx.AsyncClient, db: object) -> None:
    response = await client.get("/lang/ko?next=//evil.example/")
    assert response.headers["location"] == "/"


async def test_signed_out_visitors_are_sent_to_sign_in_and_back(
    client: httpx.AsyncClient, db: object
) -> None:
    response = await client.get("/organizations")
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=/organizations"


async def test_an_unknown_page_is_a_friendly_404(client: httpx.AsyncClient, db: object) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404 and "페이지를 찾을 수 없습니다" in response.text


async def test_a_crash_shows_a_plain_500_page_without_a_trace(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import dashboard

    async def broken(actor: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(dashboard, "club_figures", broken)
    await sign_in_page(client, world.admin.email, world.admin.password)
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    transport.raise_app_exceptions = False
    response = await client.get("/")
    assert response.status_code == 500
    assert "오류가 발생했습니다" in response.text and "secret internals" not in response.text


async def test_the_organisation_list_searches_by_name_and_business_number(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.admin.email, world.admin.password)
    by_name = await client.get("/organizations", params={"q": "한빛"})
    assert "한빛정밀" in by_name.text and "삼성전자" not in by_name.text
    number = world.samsung.business_number
    assert number
    by_number = await client.get("/organizations", params={"q": f"{number[:3]}-{number[3:5]}"})
    assert "삼성전자" in by_number.text and "한빛정밀" not in by_number.text


async def test_an_api_token_is_shown_once_on_its_page(client: httpx.AsyncClient, world: World) -> None:
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    created = await submit(client, "/account/tokens", "/account/tokens", {"name": "ERP"})
    assert "다시 표시되지 않습니다" in created.text and "tpc_" in created.text
    assert "tpc_" not in (await client.get("/account/tokens")).text
    assert await csrf_from(client, "/account/tokens")
