"""The secretariat publishes a new version of the privacy notice, through GraphQL or its page (after a
confirmation); everyone who accepted an older version is asked to accept the new one at their next page,
and is told what changed. No one else may publish."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from server.models import AuditEntry, PrivacyNotice, User
from server.privacy import notice
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.world import World

PUBLISH = """mutation($input: PublishPrivacyNoticeInput!) { publishPrivacyNotice(input: $input) {
  privacyNotice { version textKo textEn summaryOfChanges } errors { field code } } }"""
NOTICE = "{ privacyNotice { version summaryOfChanges } }"


def _input(version: int | None = None, summary: str = "보유 기간을 1년으로 줄였습니다.") -> dict[str, object]:
    return {
        "input": {
            "textKo": "처리방침 제2판",
            "textEn": "Privacy notice, version 2",
            "summaryOfChanges": summary,
        }
        | ({"version": version} if version is not None else {})
    }


@pytest.fixture(autouse=True)
async def _forget_the_version() -> AsyncIterator[None]:
    """The current version is kept in this process between page views; each test starts from the table."""
    notice.forget_current_version()
    yield
    notice.forget_current_version()


async def test_the_secretariat_publishes_a_version_through_graphql_and_people_accept_it_at_their_next_page(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: publishPrivacyNotice gives the next version, audited; a stale or blank one is refused; a
    person who accepted version 1 is asked before anything else and told what changed."""
    await sign_in(client, world.admin.email, world.admin.password)
    blank = (await gql(client, PUBLISH, _input(summary=" ")))["publishPrivacyNotice"]
    assert blank == {"privacyNotice": None, "errors": [{"field": "summary_of_changes", "code": "REQUIRED"}]}
    ahead = (await gql(client, PUBLISH, _input(version=3)))["publishPrivacyNotice"]
    assert ahead["errors"] == [{"field": "version", "code": "INVALID_STATE"}]
    published = (await gql(client, PUBLISH, _input(version=2)))["publishPrivacyNotice"]
    assert published == {
        "privacyNotice": {
            "version": 2,
            "textKo": "처리방침 제2판",
            "textEn": "Privacy notice, version 2",
            "summaryOfChanges": "보유 기간을 1년으로 줄였습니다.",
        },
        "errors": [],
    }
    again = (await gql(client, PUBLISH, _input(version=2)))["publishPrivacyNotice"]  # a second click
    assert again["errors"] == [{"field": "version", "code": "INVALID_STATE"}]
    assert await PrivacyNotice.all().count() == 2
    entry = await AuditEntry.get(action="privacy.publish")
    assert (entry.actor_id, entry.before, entry.after) == (
        world.admin.user.id,
        {"version": 1},
        {"version": 2, "summary_of_changes": "보유 기간을 1년으로 줄였습니다."},
    )
    assert (await gql(client, NOTICE))["privacyNotice"][
        "summaryOfChanges"
    ] == "보유 기간을 1년으로 줄였습니다."

    rep = world.hanbit_rep
    await sign_in_as(client, rep.email, rep.password)
    asked = await client.get("/claims")
    assert asked.status_code == 303 and asked.headers["location"] == "/privacy/notice?next=/claims"
    page = await client.get("/privacy/notice?next=/claims")
    assert "처리방침 제2판" in page.text and "보유 기간을 1년으로 줄였습니다." in page.text
    await submit(client, "/privacy/notice", "/privacy/notice", {"version": "2", "next": "/claims"})
    assert (await client.get("/claims")).status_code == 200
    assert (await User.get(id=rep.user.id)).privacy_notice_version == 2


async def test_no_one_but_the_secretariat_may_publish_a_version(
    client: httpx.AsyncClient, world: World
) -> None:
    for person in (world.samsung_coordinator, world.hanbit_rep):
        await sign_in(client, person.email, person.password)
        refused = (await gql(client, PUBLISH, _input()))["publishPrivacyNotice"]
        assert refused["privacyNotice"] is None and refused["errors"][0]["code"] == "FORBIDDEN"
        await sign_in_as(client, person.email, person.password)
        assert (await client.get("/privacy/notice/publish")).status_code == 404
        posted = await submit(
            client,
            "/privacy",
            "/privacy/notice/publish",
            {"text_ko": "가", "text_en": "A", "summary_of_changes": "x", "confirmed": "yes"},
        )
        assert posted.status_code == 404
        assert "/privacy/notice/publish" not in (await client.get("/privacy/notice")).text
    assert await PrivacyNotice.all().count() == 1
    assert not await AuditEntry.exists(action="privacy.publish")


async def test_the_publishing_page_asks_for_a_confirmation_before_publishing(
    client: httpx.AsyncClient, world: World
) -> None:
    """Rule: the form starts from the current text; its first post shows what publishing means and
    publishes nothing; a missing summary is shown on the form; the confirmation publishes."""
    await sign_in_as(client, world.admin.email, world.admin.password)
    assert 'href="/privacy/notice/publish"' in (await client.get("/privacy/notice")).text
    form = await client.get("/privacy/notice/publish")
    assert form.status_code == 200 and "개인정보 처리방침 (제1판)" in form.text
    assert 'name="version" value="2"' in form.text
    data = {
        "version": "2",
        "text_ko": "처리방침\r\n제2판",  # as a browser sends a textarea's line breaks
        "text_en": "Version 2",
        "summary_of_changes": "제3자 제공 항목 추가",
    }
    missing = await submit(
        client, "/privacy/notice/publish", "/privacy/notice/publish", data | {"summary_of_changes": ""}
    )
    assert missing.status_code == 400 and "무엇이 바뀌었는지" in missing.text
    confirm = await submit(client, "/privacy/notice/publish", "/privacy/notice/publish", data)
    assert confirm.status_code == 200 and 'id="confirm-publish"' in confirm.text
    assert "제2판을 게시할까요?" in confirm.text and "제3자 제공 항목 추가" in confirm.text
    assert await PrivacyNotice.all().count() == 1
    done = await submit(
        client, "/privacy/notice/publish", "/privacy/notice/publish", data | {"confirmed": "yes"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/privacy/notice?published=2"
    latest = await PrivacyNotice.get(version=2)
    assert (latest.text_ko, latest.summary_of_changes) == ("처리방침\n제2판", "제3자 제공 항목 추가")
    shown = await client.get("/privacy/notice?published=2")
    assert "제2판이 게시되었습니다" in shown.text
    # The secretariat, too, accepts it at its next page; then the confirmation, posted again (a second
    # tab), publishes nothing more.
    assert (await client.get("/claims")).status_code == 303
    await submit(client, "/privacy/notice", "/privacy/notice", {"version": "2", "next": "/claims"})
    twice = await submit(client, "/privacy/notice", "/privacy/notice/publish", data | {"confirmed": "yes"})
    assert twice.status_code == 400 and await PrivacyNotice.all().count() == 2
    assert 'name="version" value="3"' in twice.text  # the form now follows the latest version
