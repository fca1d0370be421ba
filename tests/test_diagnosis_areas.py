"""The questionnaire follows the five national areas (version 2); results taken under version 1 keep
their scores and show, compare and count under those areas through one mapping."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from server.diagnosis.areas import V1_AREAS, VERSION_2, answers_by_area, by_area
from server.diagnosis.questionnaire import VERSION_1
from server.diagnosis.taking import level_of, score
from server.models import Diagnosis, DiagnosisStatus, Questionnaire
from server.platform.timeutil import now
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as
from tests.support.world import World

V1_ANSWERS = {"management": 4, "people": 3, "physical": 3, "technical": 1, "leak_response": 1}


async def a_version_1_result(world: World) -> Diagnosis:
    """A result submitted before version 2 was published, stored as version 1 stored it."""
    version_1 = await Questionnaire.get(version=1)
    answers = {
        item["code"]: V1_ANSWERS[category["code"]]
        for category in VERSION_1["categories"]
        for item in category["items"]
    }
    by_category, overall = score(VERSION_1, answers)
    return await Diagnosis.create(
        sme_id=world.hanbit.id,
        questionnaire=version_1,
        status=DiagnosisStatus.SUBMITTED,
        answers=answers,
        area_scores={code: str(value) for code, value in by_category.items()},
        overall_score=overall,
        level=level_of(overall),
        taken_by=world.hanbit_rep.user,
        submitted_at=now() - timedelta(days=400),
    )


def test_each_version_1_category_maps_onto_one_national_area() -> None:
    assert sorted(V1_AREAS) == sorted(c["code"] for c in VERSION_1["categories"])
    assert sorted(V1_AREAS.values()) == sorted(c["code"] for c in VERSION_2["categories"])


async def test_a_version_1_result_shows_under_the_national_areas_next_to_a_version_2_one(
    client: httpx.AsyncClient, world: World
) -> None:
    old = await a_version_1_result(world)
    assert set(old.area_scores) == set(V1_ANSWERS)  # stored under the old names, never rewritten
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    submit = (
        """mutation($answers: [AnswerInput!]!) { submitDiagnosis(answers: $answers) { errors { code } } }"""
    )
    v2_answers = answers_by_area(VERSION_2, {**V1_ANSWERS, "technical": 4})
    await gql(client, submit, {"answers": [{"item": k, "value": v} for k, v in v2_answers.items()]})

    history = await gql(
        client, "{ diagnoses { nodes { version overallScore categoryScores { category score } } } }"
    )
    newer, older = history["diagnoses"]["nodes"]
    assert (newer["version"], older["version"]) == (2, 1)
    assert [c["category"] for c in older["categoryScores"]] == [
        c["category"] for c in newer["categoryScores"]
    ]
    assert {c["category"]: c["score"] for c in older["categoryScores"]} == {
        "protection_policy": 100.0,
        "administrative": 75.0,
        "physical": 75.0,
        "technical": 25.0,
        "incident_management": 25.0,
    }
    assert older["overallScore"] == 57.5  # the score it was given, unchanged

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = await client.get(f"/diagnosis/{old.id}")
    radar = dict(re.findall(r'data-label="([^"]+)" data-value="([^"]+)"', page.text))
    assert radar["기술보호 정책"] == "100.0" and radar["사고 대응 및 재난 관리"] == "25.0"
    assert 'id="advice-incident_management"' in page.text


async def test_club_statistics_count_version_1_results_under_the_national_areas(
    client: httpx.AsyncClient, world: World
) -> None:
    await a_version_1_result(world)
    await sign_in(client, world.admin.email, world.admin.password)
    stats = (await gql(client, "{ diagnosisStatistics { smes categories { name score } } }"))[
        "diagnosisStatistics"
    ]
    assert stats["smes"] == 1
    assert [row["name"] for row in stats["categories"]] == [
        "technical",
        "incident_management",
        "administrative",
        "physical",
        "protection_policy",
    ]
    assert by_area({"leak_response": "25.0", "management": "100.0"}) == {
        "protection_policy": 100,
        "incident_management": 25,
    }
