"""The five national areas of the self-diagnosis (since 2022): protection policy, administrative,
physical, technical, and incident/disaster management; version 2 of the questionnaire uses them.

Version 1 had five categories of its own. Each maps onto one national area (`V1_AREAS`), in this one
place, so a version-1 result shows, compares and counts under the national areas in results, trends
and statistics: its scores are only renamed, never recomputed.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from server.diagnosis.questionnaire import AREAS, VERSION_1

AREA_NAMES = {
    "protection_policy": ("기술보호 정책", "Protection policy"),
    "administrative": ("관리적 보안", "Administrative security"),
    "physical": ("물리적 보안", "Physical security"),
    "technical": ("기술적 보안", "Technical security"),
    "incident_management": ("사고 대응 및 재난 관리", "Incident and disaster management"),
}
# Version 1's categories under the national areas: its management items are the protection policy
# (rules, a person in charge, the inventory), people security is administrative, leak response is
# incident management.
V1_AREAS = {
    "management": "protection_policy",
    "people": "administrative",
    "physical": "physical",
    "technical": "technical",
    "leak_response": "incident_management",
}
# What version 2 asks beyond version 1, per area (the national indicators ask both).
_ADDED = {
    "protection_policy": (
        "m6",
        "경영진이 기술보호 방침을 승인하고 해마다 검토한다.",
        "Management approves the protection policy and reviews it every year.",
    ),
    "incident_management": (
        "r6",
        "화재·정전·랜섬웨어 같은 재해가 나도 핵심 기술자료를 복구해 업무를 이어 갈 대비가 되어 있다.",
        "Core technical material can be recovered and work resumed after a disaster (fire, outage, ransomware).",
    ),
}


def area_of(code: str) -> str:
    """The national area of a category code of any version."""
    return V1_AREAS.get(code, code)


def _version_2() -> dict[str, Any]:
    definition = copy.deepcopy(VERSION_1)
    for category in definition["categories"]:
        area = area_of(category["code"])
        category["code"] = area
        category["name_ko"], category["name_en"] = AREA_NAMES[area]
        if area in _ADDED:
            code, text_ko, text_en = _ADDED[area]
            category["items"].append({"code": code, "text_ko": text_ko, "text_en": text_en, "weight": 1})
    return definition


VERSION_2 = _version_2()


def by_area(scores: dict[str, Any] | None) -> dict[str, Decimal]:
    """A result's scores (of any version) under the national areas, in their order."""
    renamed = {area_of(code): Decimal(value) for code, value in (scores or {}).items()}
    return {area: renamed[area] for area in AREAS if area in renamed}


def area_names(language: str) -> dict[str, str]:
    return {area: names[0] if language == "ko" else names[1] for area, names in AREA_NAMES.items()}


def answers_by_area(definition: dict[str, Any], values: dict[str, int]) -> dict[str, int]:
    """The same answer for every item of each given area or version-1 category (demo data and tests)."""
    wanted = {area_of(code): value for code, value in values.items()}
    return {
        item["code"]: wanted[area_of(category["code"])]
        for category in definition["categories"]
        if area_of(category["code"]) in wanted
        for item in category["items"]
    }
