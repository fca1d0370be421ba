"""An SME diagnoses its protection capability; the server scores it, advises, and shares it on request."""

from __future__ import annotations

import copy
from decimal import Decimal

import httpx

from server.diagnosis.areas import VERSION_2, answers_by_area
from server.diagnosis.questionnaire import VERSION_1, item_codes
from server.diagnosis.taking import level_of, score
from server.models import Diagnosis, DiagnosisStatus, Organization, ProtectionLevel
from tests.support.costs import sme_partner
from tests.support.graphql import gql, sign_in
from tests.support.queries import QueryCounter
from tests.support.seminars import published
from tests.support.world import World

ITEMS = item_codes(VERSION_2)
RESULT = "diagnosis { id status overallScore level categoryScores { category score } answers { item value } }"
SAVE = f"mutation($answers: [AnswerInput!]!) {{ saveDiagnosisDraft(answers: $answers) {{ {RESULT} errors {{ field code message }} }} }}"
SUBMIT = f"""mutation($answers: [AnswerInput!]!) {{ submitDiagnosis(answers: $answers) {{
  {RESULT} errors {{ field code message }} }} }}"""
ADVICE = """query($id: Int!) { diagnosis(id: $id) { level advice { category score serviceCodes seminarTopic checklist seminars { titleKo } } } }"""


def answers(by_area: dict[str, int]) -> list[dict[str, object]]:
    """The same answer for every item of an area, as GraphQL answer inputs."""
    return [{"item": code, "value": value} for code, value in answers_by_area(VERSION_2, by_area).items()]


STRONG_BUT_TECHNICAL = {
    "protection_policy": 4,
    "administrative": 3,
    "physical": 3,
    "technical": 1,
    "incident_management": 1,
}


def test_scores_follow_the_weights_and_levels_follow_the_national_scale() -> None:
    by_area, overall = score(VERSION_2, {a["item"]: a["value"] for a in answers(STRONG_BUT_TECHNICAL)})  # type: ignore[misc]
    assert {k: str(v) for k, v in by_area.items()} == {
        "protection_policy": "100.0",
        "administrative": "75.0",
        "physical": "75.0",
        "technical": "25.0",
        "incident_management": "25.0",
    }
    # (100*20 + 75*20 + 75*15 + 25*25 + 25*20) / 100
    assert str(overall) == "57.5"
    assert [level_of(Decimal(v)) for v in ("75", "74.9", "60", "45", "30", "29.9")] == [
        ProtectionLevel.EXCELLENT,
        ProtectionLevel.GOOD,
        ProtectionLevel.GOOD,
        ProtectionLevel.FAIR,
        ProtectionLevel.WEAK,
        ProtectionLevel.AT_RISK,
    ]


async def test_an_sme_saves_a_draft_resumes_it_and_submits_for_a_server_computed_score(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    questionnaire = await gql(
        client,
        "{ diagnosisQuestionnaire { version scale { value } categories { code weight items { code } } } }",
    )
    categories = questionnaire["diagnosisQuestionnaire"]["categories"]
    # The five national areas (version 2 of the questionnaire).
    assert [c["code"] for c in categories] == [
        "protection_policy",
        "administrative",
        "physical",
        "technical",
        "incident_management",
    ]
    assert questionnaire["diagnosisQuestionnaire"]["version"] == 2
    assert sum(len(c["items"]) for c in categories) == 27

    first_half = answers({"protection_policy": 4, "administrative": 3})
    saved = (await gql(client, SAVE, {"answers": first_half}))["saveDiagnosisDraft"]["diagnosis"]
    assert saved["status"] == "DRAFT" and saved["overallScore"] is None and len(saved["answers"]) == 11
    early = (await gql(client, SUBMIT, {"answers": []}))["submitDiagnosis"]
    assert early["errors"][0]["code"] == "REQUIRED" and "16" in early["errors"][0]["message"]
    rest = answers({"physical": 3, "technical": 1, "incident_management": 1})
    done = (await gql(client, SUBMIT, {"answers": rest}))["submitDiagnosis"]["diagnosis"]
    assert (done["status"], done["overallScore"], done["level"]) == ("SUBMITTED", 57.5, "FAIR")
    assert {c["category"]: c["score"] for c in done["categoryScores"]}["technical"] == 25.0
    assert await Diagnosis.filter(sme_id=world.hanbit.id).count() == 1
    hanbit = await Organization.get(id=world.hanbit.id)
    assert hanbit.diagnosed_at is not None and hanbit.shared_diagnosis_level is None  # not shared yet

    wrong = (await gql(client, SAVE, {"answers": [{"item": "m1", "value": 7}]}))["saveDiagnosisDraft"]
    assert wrong["errors"][0]["field"] == "answers"
    forged = await client.post(
        "/graphql",
        json={"query": SUBMIT, "variables": {"answers": [{"item": "m1", "value": 4, "score": 100}]}},
    )
    assert "errors" in forged.json()  # a client cannot send a score


async def test_advice_points_weak_categories_to_the_guard_service_seminars_and_a_leak_checklist(
    client: httpx.AsyncClient, world: World
) -> None:
    await published(world.admin, title_ko="기술유출 대응 실무 워크숍", topic="leak_response")
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    done = (await gql(client, SUBMIT, {"answers": answers(STRONG_BUT_TECHNICAL)}))["submitDiagnosis"][
        "diagnosis"
    ]
    advice = (await gql(client, ADVICE, {"id": done["id"]}))["diagnosis"]["advice"]
    assert [a["category"] for a in advice] == [
        "technical",
        "incident_management",
    ]  # only the weak ones, weakest first
    technical, leak = advice
    assert technical["serviceCodes"] == ["guard_subscription"]
    assert leak["seminars"] == [{"titleKo": "기술유출 대응 실무 워크숍"}] and len(leak["checklist"]) == 5


async def test_sponsors_see_results_only_with_consent_and_filter_their_partners_by_level(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    done = (await gql(client, SUBMIT, {"answers": answers(STRONG_BUT_TECHNICAL)}))["submitDiagnosis"][
        "diagnosis"
    ]
    weak_sme = await sme_partner(world.samsung, "세진테크", "214860001")
    await sign_in(client, weak_sme.email, weak_sme.password)
    await gql(client, "mutation { setDiagnosisSharing(shared: true) { errors { code } } }")
    weak = dict.fromkeys(STRONG_BUT_TECHNICAL, 0)
    await gql(client, SUBMIT, {"answers": answers(weak)})

    partners = """query($level: ProtectionLevel, $order: PartnerOrder!) {
      partners(diagnosisLevel: $level, orderBy: $order) { totalCount nodes { sme { nameKo diagnosedAt diagnosisLevel } } } }"""
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    everyone = (await gql(client, partners, {"level": None, "order": "NAME"}))["partners"]["nodes"]
    assert {n["sme"]["nameKo"]: n["sme"]["diagnosisLevel"] for n in everyone} == {
        "세진테크": "AT_RISK",
        "한빛정밀": None,
    }
    assert all(n["sme"]["diagnosedAt"] for n in everyone)  # that a diagnosis exists is no secret
    at_risk = (await gql(client, partners, {"level": "AT_RISK", "order": "NEWEST"}))["partners"]
    assert at_risk["totalCount"] == 1
    weakest = (await gql(client, partners, {"level": None, "order": "WEAKEST_FIRST"}))["partners"]
    assert [n["sme"]["nameKo"] for n in weakest["nodes"]] == ["세진테크"]  # Hanbit's hidden score never sorts
    hidden = await client.post(
        "/graphql",
        json={"query": "query($id: Int!) { diagnosis(id: $id) { level } }", "variables": {"id": done["id"]}},
    )
    assert hidden.json()["data"] == {"diagnosis": None}

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    await gql(client, "mutation { setDiagnosisSharing(shared: true) { errors { code } } }")
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    shown = await gql(
        client, "query($id: Int!) { diagnosis(id: $id) { level overallScore } }", {"id": done["id"]}
    )
    assert shown["diagnosis"] == {"level": "FAIR", "overallScore": 57.5}
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    other = await client.post(
        "/graphql",
        json={"query": "query($id: Int!) { diagnosis(id: $id) { level } }", "variables": {"id": done["id"]}},
    )
    assert other.json()["data"] == {"diagnosis": None}  # LG is not Hanbit's sponsor


async def test_a_new_version_keeps_old_results_comparable_and_the_secretariat_sees_club_statistics(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    await gql(client, SUBMIT, {"answers": answers(STRONG_BUT_TECHNICAL)})

    version_3 = copy.deepcopy(VERSION_2)
    version_3["categories"][3]["items"].append(
        {
            "code": "t6",
            "text_ko": "재택근무 PC의 보안을 관리한다.",
            "text_en": "Home-working PCs are secured.",
            "weight": 2,
        }
    )
    publish = """mutation($definition: JSON!) { publishQuestionnaire(definition: $definition) {
      questionnaire { version } errors { field code message } } }"""
    await sign_in(client, world.admin.email, world.admin.password)
    bad = copy.deepcopy(VERSION_2)
    bad["categories"].pop()
    for refused_definition in (bad, VERSION_1):  # a new version follows the five national areas
        refused = (await gql(client, publish, {"definition": refused_definition}))["publishQuestionnaire"]
        assert refused["errors"][0]["field"] == "definition"
    assert (await gql(client, publish, {"definition": version_3}))["publishQuestionnaire"][
        "questionnaire"
    ] == {"version": 3}

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    second = [*answers({**STRONG_BUT_TECHNICAL, "technical": 4}), {"item": "t6", "value": 4}]
    newer = (await gql(client, SUBMIT, {"answers": second}))["submitDiagnosis"]["diagnosis"]
    history = await gql(client, "{ diagnoses { nodes { version level categoryScores { category score } } } }")
    versions = [n["version"] for n in history["diagnoses"]["nodes"]]
    # (100*20 + 75*20 + 75*15 + 100*25 + 25*20) / 100 = 76.25
    assert versions == [3, 2] and newer["level"] == "EXCELLENT"
    assert [c["category"] for c in history["diagnoses"]["nodes"][1]["categoryScores"]] == [
        c["category"] for c in history["diagnoses"]["nodes"][0]["categoryScores"]
    ]

    await sign_in(client, world.admin.email, world.admin.password)
    stats = (
        await gql(client, "{ diagnosisStatistics { smes levels { level smes } categories { name score } } }")
    )["diagnosisStatistics"]
    assert stats["smes"] == 1  # the latest result of each SME counts
    assert {row["level"]: row["smes"] for row in stats["levels"]}["EXCELLENT"] == 1
    assert stats["categories"][0]["name"] == "incident_management"  # weakest first


async def test_only_the_sme_itself_takes_its_diagnosis(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = (await gql(client, SUBMIT, {"answers": answers(STRONG_BUT_TECHNICAL)}))["submitDiagnosis"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    assert await Diagnosis.filter(status=DiagnosisStatus.SUBMITTED).count() == 0
