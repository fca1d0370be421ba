"""In Chromium, on a phone-sized screen: an SME opens a protection case with one file it keeps
(fingerprint only) and one it uploads; the secretariat assigns, refers and closes it; the SME reads the
timeline. The kept file's bytes never reach the server: the posted body carries its digest, not it."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from playwright.async_api import expect

from server.models import CaseEvidence
from tests.support.world import Person, World

KEPT = b"TOP-SECRET gearbox source that must never leave the company " * 4000  # 248 kB
SENT = b"%PDF-1.4\n% interview notes with the departed engineer\n"


async def _sign_in(page: Any, person: Person) -> None:
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(person.email)
    await page.get_by_label("비밀번호").fill(person.password)
    await page.get_by_role("button", name="로그인").click()


class CountingProxy:
    """A TCP relay in front of the app that counts the bytes browsers send it: what reached the server.

    (Chromium does not hand multipart bodies to Playwright, so the measure is taken on the wire.)
    """

    def __init__(self, target: str) -> None:
        self.host, port = target.removeprefix("http://").split(":")
        self.port = int(port)
        self.sent = 0

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream: bool) -> None:
        try:
            while data := await reader.read(65536):
                if upstream:
                    self.sent += len(data)
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(self.host, self.port)
        await asyncio.gather(
            self._pipe(client_reader, server_writer, True),
            self._pipe(server_reader, client_writer, False),
            return_exceptions=True,
        )

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"


async def test_an_sme_opens_a_case_the_secretariat_works_it_and_the_sme_reads_the_timeline(
    browser: Any, live_server: str, world: World
) -> None:
    proxy = CountingProxy(live_server)
    through_proxy = await proxy.start()
    sme_context = await browser.new_context(
        base_url=through_proxy, locale="ko-KR", viewport={"width": 390, "height": 844}
    )
    page = await sme_context.new_page()
    await _sign_in(page, world.hanbit_rep)
    await page.locator("#protection-desk").click()
    await page.get_by_role("link", name="기술보호 상담 신청").click()
    await page.get_by_label("유형").select_option("partner_misappropriation")
    await page.get_by_label("인지한 날짜").fill("2026-11-25")
    await page.get_by_label("관련 기술").fill("감속기 제어 소스코드")
    await page.get_by_label("긴급도").select_option("urgent")
    await page.get_by_label("상황 설명").fill("거래처가 납품 소스코드를 제3자에게 넘긴 정황이 있습니다.")
    await page.get_by_label("로그·접속 기록·메일·기기를 손대지 않고 보존했습니다").check()
    await page.get_by_label("지문(해시)만 등록할 파일").set_input_files(
        {"name": "gearbox-src.zip", "mimeType": "application/zip", "buffer": KEPT}
    )
    kept_digest = hashlib.sha256(KEPT).hexdigest()
    await expect(page.locator("[data-fingerprints]")).to_contain_text(kept_digest)
    await page.get_by_label("업로드할 파일").set_input_files(
        {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": SENT}
    )
    before = proxy.sent
    await page.get_by_role("button", name="사무국에 접수").click()
    await expect(page.get_by_role("status")).to_contain_text("영업일 2일")
    sent_size = proxy.sent - before
    await expect(page.locator("#evidence")).to_contain_text(kept_digest)

    # The form with the uploaded PDF and the kept file's digest, then the case page: a few kB, where the
    # kept file alone is 248 kB.
    assert len(SENT) < sent_size < 20_000, sent_size
    kept, sent = await CaseEvidence.all().order_by("id")
    assert (kept.name, kept.size, kept.sha256, kept.uploaded) == (
        "gearbox-src.zip",
        len(KEPT),
        kept_digest,
        False,
    )
    assert (sent.uploaded, sent.sha256) == (True, hashlib.sha256(SENT).hexdigest())
    case_path = page.url.split("?")[0].removeprefix(through_proxy)

    staff = await (
        await browser.new_context(
            base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
        )
    ).new_page()
    await _sign_in(staff, world.admin)
    await staff.goto("/protection")
    await staff.locator(f"a[href='{case_path}']").click()
    await staff.get_by_role("button", name="배정").click()
    await expect(staff.locator("#status")).to_have_text("상담 중")
    await staff.get_by_label("연계 기관").select_option("police")
    await staff.get_by_label("연계일").fill("2026-12-01")
    await staff.get_by_label("기관 접수번호").fill("산업기술-118")
    await staff.get_by_role("button", name="연계 기록").click()
    await expect(staff.locator("#status")).to_have_text("외부 기관 연계")
    await staff.get_by_label("내부 메모 (기업에는 보이지 않습니다)").fill("거래처 B사 의심")
    await staff.get_by_role("button", name="메모 추가").click()
    await staff.get_by_label("처리 결과").select_option("referred_onward")
    await staff.get_by_label("종결 사유").fill("경찰 수사로 이관")
    await staff.get_by_role("button", name="사건 종결…").click()
    await staff.get_by_role("button", name="예, 종료합니다").click()
    await expect(staff.locator("#status")).to_have_text("종결")
    no_overflow = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert await staff.evaluate(no_overflow)
    await staff.context.close()

    await page.goto(case_path)
    await expect(page.locator("#status")).to_have_text("종결")
    timeline = page.locator("#timeline")
    await expect(timeline).to_contain_text("담당합니다")
    await expect(timeline).to_contain_text("경찰 산업기술유출 수사팀")
    await expect(timeline).to_contain_text("산업기술-118")
    await expect(timeline).to_contain_text("경찰 수사로 이관")
    await expect(timeline).not_to_contain_text("B사")
    await expect(page.locator("#readers")).to_contain_text("사무국 관리자")
    assert await page.evaluate(no_overflow)
    await sme_context.close()
    proxy.server.close()
