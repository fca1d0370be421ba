"""SME self-diagnosis: the questionnaire, drafts, results with advice, sharing, and club statistics."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload, found_or_none
from schema.organizations import OrganizationNode, node, related_organization
from schema.seminars import SeminarNode
from server.diagnosis import results
from server.diagnosis import taking as service
from server.diagnosis.areas import by_area
from server.diagnosis.questionnaire import SCALE
from server.models import Diagnosis, DiagnosisStatus, Organization, ProtectionLevel, Questionnaire
from server.platform.timeutil import in_seoul_or_none


@strawberry.type
class ScaleStep:
    value: int
    label_ko: str
    label_en: str


@strawberry.type
class QuestionnaireItem:
    code: str
    text_ko: str
    text_en: str
    weight: int


@strawberry.type
class QuestionnaireCategory:
    code: str
    name_ko: str
    name_en: str
    weight: int
    items: list[QuestionnaireItem]


@strawberry.type(name="DiagnosisQuestionnaire")
class QuestionnaireNode:
    version: int

    @strawberry.field
    def published_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Questionnaire, self).published_at)

    @strawberry.field(description="Every item is answered on this scale.")
    def scale(self) -> list[ScaleStep]:
        return [ScaleStep(value=v, label_ko=ko, label_en=en) for v, ko, en in SCALE]

    @strawberry.field
    def categories(self) -> list[QuestionnaireCategory]:
        return [
            QuestionnaireCategory(
                code=c["code"],
                name_ko=c["name_ko"],
                name_en=c.get("name_en", ""),
                weight=c["weight"],
                items=[
                    QuestionnaireItem(
                        code=i["code"], text_ko=i["text_ko"], text_en=i.get("text_en", ""), weight=i["weight"]
                    )
                    for i in c["items"]
                ],
            )
            for c in cast(Questionnaire, self).definition["categories"]
        ]


@strawberry.type
class Answer:
    item: str
    value: int


@strawberry.input
class AnswerInput:
    item: str
    value: int = strawberry.field(description="0 (not at all) to 4 (fully).")


@strawberry.type
class CategoryScore:
    category: str = strawberry.field(
        description="The national area: protection_policy, administrative, physical, technical, incident_management."
    )
    score: float = strawberry.field(description="Out of 100.")


@strawberry.type
class DiagnosisAdvice:
    category: str
    score: float
    service_codes: list[str] = strawberry.field(description="Club services that help: see `services`.")
    seminar_topic: str
    checklist: list[str]
    seminars: list[SeminarNode] = strawberry.field(description="Upcoming seminars on the topic.")


@strawberry.type(name="Diagnosis")
class DiagnosisNode:
    id: int
    status: DiagnosisStatus
    level: ProtectionLevel | None

    @strawberry.field
    def sme(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "sme")

    @strawberry.field
    async def version(self) -> int:
        diagnosis = cast(Diagnosis, self)
        return (await diagnosis.questionnaire).version

    @strawberry.field
    def overall_score(self) -> float | None:
        value = cast(Diagnosis, self).overall_score
        return float(value) if value is not None else None

    @strawberry.field(description="Per national area, whatever version the result was taken under.")
    def category_scores(self) -> list[CategoryScore]:
        scores = by_area(cast(Diagnosis, self).area_scores)
        return [CategoryScore(category=code, score=float(value)) for code, value in scores.items()]

    @strawberry.field
    def answers(self) -> list[Answer]:
        return [Answer(item=k, value=v) for k, v in cast(Diagnosis, self).answers.items()]

    @strawberry.field
    def submitted_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Diagnosis, self).submitted_at)

    @strawberry.field(description="For each weak category (below 60), what the club offers.")
    async def advice(self) -> list[DiagnosisAdvice]:
        return [
            DiagnosisAdvice(
                category=a.category,
                score=float(a.score),
                service_codes=list(a.services),
                seminar_topic=a.seminar_topic,
                checklist=list(a.checklist),
                seminars=[cast(SeminarNode, s) for s in a.seminars],
            )
            for a in await results.advice_for(cast(Diagnosis, self))
        ]


@strawberry.type
class LevelCount:
    level: ProtectionLevel
    smes: int


@strawberry.type
class NamedScore:
    name: str
    score: float


@strawberry.type
class DiagnosisStatistics:
    smes: int = strawberry.field(description="SMEs with at least one submitted result (their latest counts).")
    levels: list[LevelCount]
    categories: list[NamedScore] = strawberry.field(description="Average score per category, weakest first.")
    sectors: list[NamedScore]


@strawberry.type
class DiagnosisQueries:
    @strawberry.field(description="The current version, or a given one; null when there is no such version.")
    async def diagnosis_questionnaire(
        self, info: Info, version: int | None = None
    ) -> QuestionnaireNode | None:
        found = await found_or_none(service.get_questionnaire(info.context.actor, version))
        return cast(QuestionnaireNode | None, found)

    @strawberry.field(
        description="Submitted results, newest first: one's own SME, or (secretariat, sharing) another's."
    )
    async def diagnoses(
        self, info: Info, sme_id: int | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[DiagnosisNode]:
        page = await results.list_diagnoses(info.context.actor, sme_id=sme_id, first=first, after=after)
        return cast(Connection[DiagnosisNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def diagnosis(self, info: Info, id: int) -> DiagnosisNode | None:
        return cast(DiagnosisNode | None, await found_or_none(results.get_diagnosis(info.context.actor, id)))

    @strawberry.field(description="Secretariat: distribution of levels, weakest categories, per sector.")
    async def diagnosis_statistics(self, info: Info) -> DiagnosisStatistics:
        found = await results.statistics(info.context.actor)
        return DiagnosisStatistics(
            smes=found.smes,
            levels=[LevelCount(level=level, smes=n) for level, n in found.levels.items()],
            categories=[NamedScore(name=k, score=float(v)) for k, v in found.categories.items()],
            sectors=[NamedScore(name=k, score=float(v)) for k, v in found.sectors.items()],
        )


@strawberry.type
class DiagnosisPayload(Payload):
    diagnosis: DiagnosisNode | None = None


@strawberry.type
class SharingPayload(Payload):
    organization: OrganizationNode | None = None


@strawberry.type
class QuestionnairePayload(Payload):
    questionnaire: QuestionnaireNode | None = None


def _answers(answers: list[AnswerInput]) -> dict[str, int]:
    return {a.item: a.value for a in answers}


@strawberry.type
class DiagnosisMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Keep partial answers; resume later.")
    async def save_diagnosis_draft(self, info: Info, answers: list[AnswerInput]) -> DiagnosisPayload:
        found = await service.save_draft(actor=info.context.actor, answers=_answers(answers))
        return DiagnosisPayload(diagnosis=cast(DiagnosisNode, found))

    @strawberry.mutation(extensions=[DomainErrors()], description="Scored by the server from the answers.")
    async def submit_diagnosis(self, info: Info, answers: list[AnswerInput]) -> DiagnosisPayload:
        found = await service.submit(actor=info.context.actor, answers=_answers(answers))
        return DiagnosisPayload(diagnosis=cast(DiagnosisNode, found))

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Whether sponsors may see the SME's results."
    )
    async def set_diagnosis_sharing(self, info: Info, shared: bool) -> SharingPayload:
        organization: Organization = await service.set_sharing(actor=info.context.actor, shared=shared)
        return SharingPayload(organization=node(organization))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: a new version ({categories: [{code, name_ko, name_en, weight, items: "
        "[{code, text_ko, text_en, weight}]}]}, the five categories in order).",
    )
    async def publish_questionnaire(self, info: Info, definition: JSON) -> QuestionnairePayload:
        found = await service.publish_questionnaire(
            actor=info.context.actor, definition=cast(Any, definition)
        )
        return QuestionnairePayload(questionnaire=cast(QuestionnaireNode, found))
