"""The self-diagnosis questionnaire: its fixed answer scale, version 1, and what a version must hold.

A version's definition is plain JSON kept on the `Questionnaire` row, so a
result keeps the version it was taken under. Version 1's five categories map
onto the five national areas every later version has (`server.diagnosis.areas`),
which keeps results of different versions comparable by area.
"""

from __future__ import annotations

from typing import Any

from server.platform.errors import DomainError, ErrorCode

# The national areas (names and the mapping from version 1: `server.diagnosis.areas`).
AREAS = ("protection_policy", "administrative", "physical", "technical", "incident_management")

# The fixed scale: an answer is 0 to 4, and counts as answer / 4 of the item's weight.
SCALE = (
    (0, "전혀 그렇지 않다", "Not at all"),
    (1, "그렇지 않은 편이다", "Hardly"),
    (2, "보통이다", "Partly"),
    (3, "그런 편이다", "Mostly"),
    (4, "매우 그렇다", "Fully"),
)
TOP = 4


def _items(prefix: str, texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"code": f"{prefix}{n}", "text_ko": ko, "text_en": en, "weight": 1}
        for n, (ko, en) in enumerate(texts, start=1)
    ]


VERSION_1: dict[str, Any] = {
    "categories": [
        {
            "code": "management",
            "name_ko": "관리 체계",
            "name_en": "Management",
            "weight": 20,
            "items": _items(
                "m",
                [
                    (
                        "기술보호 정책과 규정이 문서로 마련되어 있다.",
                        "Technology-protection policies and rules are written down.",
                    ),
                    (
                        "기술보호 책임자(담당자)가 지정되어 있다.",
                        "Someone is appointed to be responsible for technology protection.",
                    ),
                    (
                        "핵심 기술자료(도면, 소스코드, 공정 레시피)의 목록을 관리한다.",
                        "An inventory of core technical material (drawings, source code, recipes) is kept.",
                    ),
                    (
                        "핵심 기술이 특정인의 머릿속이나 PC 한 대에만 있지 않도록 기록·보관한다.",
                        "Core technology is recorded and kept, not only in someone's head or on one PC.",
                    ),
                    (
                        "협력사·거래처와 비밀유지계약(NDA)을 맺고 기술자료를 건넨다.",
                        "Technical material is shared with partners only under a confidentiality agreement.",
                    ),
                ],
            ),
        },
        {
            "code": "people",
            "name_ko": "인적 보안",
            "name_en": "People",
            "weight": 20,
            "items": _items(
                "p",
                [
                    ("입사 시 비밀유지 서약서를 받는다.", "New staff sign a confidentiality pledge."),
                    (
                        "연 1회 이상 임직원 기술보호 교육을 한다.",
                        "Staff are trained in technology protection at least once a year.",
                    ),
                    (
                        "퇴직자의 자료 반납과 계정 회수를 확인한다.",
                        "Departing staff return material and lose their accounts, and this is checked.",
                    ),
                    (
                        "핵심 인력의 이직 위험을 관리한다(보상, 전직 금지 약정 등).",
                        "The risk of key people leaving is managed (rewards, non-compete terms).",
                    ),
                    (
                        "파견·용역 등 외부 인력의 자료 접근을 제한한다.",
                        "Outside staff (contractors, agency workers) have limited access to material.",
                    ),
                ],
            ),
        },
        {
            "code": "physical",
            "name_ko": "물리적 보안",
            "name_en": "Physical",
            "weight": 15,
            "items": _items(
                "ph",
                [
                    (
                        "연구·생산 구역의 출입을 통제하고 기록한다.",
                        "Access to research and production areas is controlled and logged.",
                    ),
                    ("방문객은 신원을 확인하고 동행한다.", "Visitors are identified and accompanied."),
                    (
                        "USB 등 이동식 저장매체 사용을 통제한다.",
                        "Removable media such as USB drives are controlled.",
                    ),
                    (
                        "문서 출력·복사와 외부 반출을 관리한다.",
                        "Printing, copying and taking documents out are controlled.",
                    ),
                    ("CCTV 등 보안 설비를 운영한다.", "Security equipment such as CCTV is in use."),
                ],
            ),
        },
        {
            "code": "technical",
            "name_ko": "기술적 보안",
            "name_en": "Technical",
            "weight": 25,
            "items": _items(
                "t",
                [
                    (
                        "직무에 따라 시스템과 자료의 접근 권한을 나눈다.",
                        "Access to systems and material follows each person's job.",
                    ),
                    (
                        "중요 자료는 암호화해 저장하고 전송한다.",
                        "Important material is encrypted when stored and sent.",
                    ),
                    (
                        "시스템 접속과 자료 열람 기록을 남기고 점검한다.",
                        "Logins and access to material are logged and reviewed.",
                    ),
                    (
                        "백신과 보안 업데이트를 자동으로 적용한다.",
                        "Anti-malware and security updates are applied automatically.",
                    ),
                    (
                        "중요 자료를 정기적으로 백업하고 복구를 시험한다.",
                        "Important material is backed up regularly and restores are tested.",
                    ),
                ],
            ),
        },
        {
            "code": "leak_response",
            "name_ko": "유출 대응",
            "name_en": "Leak response",
            "weight": 20,
            "items": _items(
                "r",
                [
                    (
                        "기술유출이 일어났을 때의 대응 절차가 있다.",
                        "There is a written procedure for responding to a leak.",
                    ),
                    (
                        "유출 시 연락할 기관(경찰, 국가정보원, 중소벤처기업부 기술보호 상담창구)을 안다.",
                        "We know whom to call after a leak (police, NIS, the SME ministry's protection desk).",
                    ),
                    (
                        "유출 증거(로그, 출입 기록 등)를 보존하는 방법을 정해 두었다.",
                        "We know how to preserve evidence (logs, access records).",
                    ),
                    ("유출 의심 징후를 보고하는 창구가 있다.", "There is a way to report suspected leaks."),
                    (
                        "최근 2년 안에 유출 대응 훈련이나 점검을 했다.",
                        "We practised or reviewed our leak response in the last two years.",
                    ),
                ],
            ),
        },
    ]
}


def check_definition(definition: Any) -> dict[str, Any]:
    """A definition a new version may have: the five national areas, each weighted, with weighted items."""

    def refuse(message: str) -> DomainError:
        return DomainError.single(ErrorCode.INVALID, message, "definition")

    if not isinstance(definition, dict) or not isinstance(definition.get("categories"), list):
        raise refuse("The definition needs a list of categories.")
    categories = definition["categories"]
    if [c.get("code") if isinstance(c, dict) else None for c in categories] != list(AREAS):
        raise refuse(
            "The areas must be protection_policy, administrative, physical, technical and incident_management, "
            "in that order."
        )
    codes: set[str] = set()
    for category in categories:
        if not isinstance(category.get("weight"), int) or category["weight"] <= 0:
            raise refuse("Every category needs a weight above zero.")
        if not category.get("name_ko") or not category.get("items"):
            raise refuse("Every category needs a Korean name and at least one item.")
        for item in category["items"]:
            code = item.get("code") if isinstance(item, dict) else None
            if not isinstance(code, str) or not code or code in codes or not item.get("text_ko"):
                raise refuse("Every item needs its own code and a Korean text.")
            if not isinstance(item.get("weight"), int) or item["weight"] <= 0:
                raise refuse("Every item needs a weight above zero.")
            codes.add(code)
    return definition


def item_codes(definition: dict[str, Any]) -> list[str]:
    return [item["code"] for category in definition["categories"] for item in category["items"]]
