"""The self-diagnosis pages: the form with drafts, the result with its chart and advice, sharing, statistics."""

from __future__ import annotations

import json
import re

import httpx

from server.diagnosis.areas import VERSION_2, answers_by_area
from server.models import Diagnosis, DiagnosisStatus, Questionnaire
from tests.support.costs import sme_partner
from tests.support.pages import sign_in_as, submit
from tests.support.world import World


def form_answers(values: dict[str, int]) -> dict[str, str]:
    """The same answer for every item of a category, as the form's radio buttons send it."""
    return {f"item-{code}": str(value) for code, value in answers_by_area(VERSION_2, values).items()}


async def test_an_sme_saves_half_comes_back_and_submits_to_see_scores_chart_and_advice(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    first = form_answers({"management": 4, "people": 3})
    saved = await submit(client, "/diagnosis", "/diagnosis", {**first, "action": "save"})
    assert saved.status_code == 303
    again = await client.get("/diagnosis")
    assert again.text.count("checked") == 11 and 'name="item-m1" value="4" checked' in again.text
    items = sum(len(area["items"]) for area in VERSION_2["categories"])
    assert f"5개 영역 {items}문항" in again.text  # the intro counts the questionnaire it shows

    early = await submit(client, "/diagnosis", "/diagnosis", {"action": "submit"})
    assert early.status_code == 400 and "16개 문항이 남았습니다" in early.text
    rest = form_answers({"physical": 3, "technical": 1, "leak_response": 1})
    done = await submit(client, "/diagnosis", "/diagnosis", {**rest, "action": "submit"})
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert re.search(r'id="overall">57.5<', page.text) and re.search(r'id="level">보통<', page.text)
    radar = dict(re.findall(r'data-label="([^"]+)" data-value="([^"]+)"', page.text))
    assert radar == {
        "기술보호 정책": "100.0",
        "관리적 보안": "75.0",
        "물리적 보안": "75.0",
        "기술적 보안": "25.0",
        "사고 대응 및 재난 관리": "25.0",
    }
    assert 'id="advice-technical"' in page.text and "온라인 기술지킴서비스" in page.text
    assert 'id="advice-incident_management"' in page.text and "1357" in page.text
    assert 'id="advice-protection_policy"' not in page.text


async def test_the_trend_chart_shows_each_submission_in_order(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    for value in (1, 3):
        answers = form_answers(
            dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), value)
        )
        await submit(client, "/diagnosis", "/diagnosis", {**answers, "action": "submit"})
    history = await client.get("/diagnosis/history")
    bars = re.findall(r'<rect [^>]*data-value="(\d+)"', history.text)
    assert bars == ["25", "75"]  # oldest first


async def test_a_sponsor_sees_the_level_on_the_partner_list_only_once_the_sme_shares(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    answers = form_answers(
        dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 0)
    )
    done = await submit(client, "/diagnosis", "/diagnosis", {**answers, "action": "submit"})
    result_url = done.headers["location"]

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    listing = await client.get("/partners")
    assert "진단 완료 (비공개)" in listing.text and "위험 (" not in listing.text
    assert (await client.get(result_url)).status_code == 404

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    await submit(client, "/diagnosis", "/diagnosis/sharing", {"shared": "yes"})
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    shared = await client.get("/partners?level=at_risk")
    assert "위험 (0.0)" in shared.text and "한빛정밀" in shared.text
    assert (await client.get(result_url)).status_code == 200
    await sme_partner(world.samsung, "세진테크", "214860001")
    filtered = await client.get("/partners?level=at_risk")
    assert "세진테크" not in filtered.text


async def test_the_secretariat_publishes_a_version_and_reads_statistics(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    answers = form_answers(
        dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 2)
    )
    await submit(client, "/diagnosis", "/diagnosis", {**answers, "action": "submit"})

    await sign_in_as(client, world.admin.email, world.admin.password)
    stats = await client.get("/diagnosis/statistics")
    assert "중소기업 1곳의 최근 결과 기준" in stats.text
    bars = dict(re.findall(r'data-label="([^"]+)" data-value="(\d+)"', stats.text))
    assert bars["보통"] == "1" and bars["우수"] == "0"
    broken = await submit(client, "/questionnaires", "/questionnaires", {"definition": "{not json"})
    assert broken.status_code == 400 and "올바른 JSON이 아닙니다" in broken.text
    published = await submit(
        client,
        "/questionnaires",
        "/questionnaires",
        {"definition": json.dumps(VERSION_2, ensure_ascii=False)},
    )
    assert published.status_code == 303
    assert await Questionnaire.filter(version=3).exists()
    # The earlier result keeps version 2.
    assert (
        await Diagnosis.get(status=DiagnosisStatus.SUBMITTED).prefetch_related("questionnaire")
    ).questionnaire.version == 2


async def test_the_form_shows_progress_groups_each_question_and_marks_the_open_ones_after_a_short_submit(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    half = form_answers(dict.fromkeys(("management", "people"), 3))
    short = await submit(client, "/diagnosis", "/diagnosis", {**half, "action": "submit"})
    assert short.status_code == 400
    total = short.text.count('<fieldset class="question')
    open_ones = short.text.count('<fieldset class="question unanswered"')
    assert total > 20 and 0 < open_ones < total and short.text.count("<legend>") == total
    assert f"전체 {total}문항 중 {total - open_ones}문항 답변" in short.text


async def test_the_result_page_offers_sharing_with_sponsors(client: httpx.AsyncClient, world: World) -> None:
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    answers = form_answers(
        dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 3)
    )
    done = await submit(client, "/diagnosis", "/diagnosis", {**answers, "action": "submit"})
    result = await client.get(done.headers["location"])
    assert 'action="/diagnosis/sharing"' in result.text and 'value="yes"' in result.text
