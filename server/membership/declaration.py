"""The declaration as a document: its published texts (versioned) and who signed which, in order.

The first text, the November 2011 one every existing signing refers to, ships with the product; the
secretariat publishes later versions, kept as published. Members then re-affirm the new version as a new
signing record (`organizations.reaffirm_declaration`). Locks: none; a version's uniqueness is the table's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from server.models import DeclarationKind, DeclarationSigning, DeclarationText, Organization
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_secretariat, visible_organizations

FIRST_VERSION = "2011-11"
PLEDGE_COUNT = 4
VERSION_LENGTH = 20  # DeclarationText.version's column


@dataclass(frozen=True)
class Pledge:
    ko: str
    en: str


@dataclass(frozen=True)
class Text:
    version: str
    title_ko: str
    title_en: str
    body_ko: str
    body_en: str
    pledges: tuple[Pledge, ...]
    published_at: datetime | None = None  # None for the text that ships with the product


FIRST_TEXT = Text(
    version=FIRST_VERSION,
    title_ko="중소기업 기술보호 선언",
    title_en="SME Technology Protection Declaration",
    body_ko=(
        "우리 대기업은 협력 중소기업의 핵심 기술이 기업 경쟁력의 원천이자 함께 성장하기 위한 토대임을 "
        "인식하고, 중소기업이 인력과 장비가 부족하여 스스로 기술을 지키기 어려운 현실을 함께 해결하고자 "
        "2011년 11월 중소기업청과 함께 이 선언에 서명합니다. 우리는 협력 중소기업의 기술자료 임치와 "
        "온라인 기술지킴서비스 비용의 전부 또는 일부를 지원하고, 공동 교육과 세미나, 기술보호 역량 "
        "자가진단을 함께하며, 이를 위해 중소기업 기술보호 클럽을 구성하여 운영합니다. 우리는 다음 네 가지를 서약합니다."
    ),
    body_en=(
        "We, large companies, recognise that our partner SMEs' core technology is the source of their "
        "competitiveness and the ground on which we grow together, and that SMEs often lack the people and "
        "equipment to protect it alone. In November 2011, with the Small and Medium Business Administration, "
        "we sign this declaration. We will pay all or part of what our partner SMEs pay for technology data "
        "escrow and the online tech guard service, hold joint training and seminars, support a self-diagnosis "
        "of their protection capability, and form and run the SME Tech Protection Club to do so. "
        "We make the following four pledges."
    ),
    pledges=(
        Pledge(
            "협력 중소기업과의 동반자 관계를 바탕으로 기술보호에 함께 힘쓴다.",
            "Partnership with SMEs: we protect technology together with our partner SMEs.",
        ),
        Pledge(
            "중소기업의 기술보호 기반 구축을 지원한다.",
            "Support for protection infrastructure: we help SMEs build the means to protect their technology.",
        ),
        Pledge(
            "중소기업의 기술을 존중하고 공정하게 거래한다.",
            "Fair dealing: we respect SMEs' technology and deal with them fairly.",
        ),
        Pledge(
            "기술보호의 중요성에 대한 인식을 높인다.",
            "Raising awareness: we spread awareness of why technology protection matters.",
        ),
    ),
)


def _text(row: DeclarationText) -> Text:
    pledges = tuple(Pledge(str(p["ko"]), str(p["en"])) for p in row.pledges)
    return Text(row.version, row.title_ko, row.title_en, row.body_ko, row.body_en, pledges, row.published_at)


async def current_text() -> Text:
    """The newest published version; the 2011 text until the secretariat publishes another."""
    row = await DeclarationText.all().order_by("-id").first()
    return _text(row) if row else FIRST_TEXT


async def text_of(version: str | None) -> Text | None:
    """A version by its name (the current one for None); None when there is no such version."""
    if version is None:
        return await current_text()
    if version == FIRST_VERSION:
        return FIRST_TEXT
    if len(version) > VERSION_LENGTH:
        return None  # no version has so long a name, and the ORM refuses to compare with one
    row = await DeclarationText.get_or_none(version=version)
    return _text(row) if row else None


async def publish_declaration_text(
    *,
    actor: Actor | None,
    version: str,
    title_ko: str,
    title_en: str,
    body_ko: str,
    body_en: str,
    pledges: list[Pledge],
) -> Text:
    """The secretariat publishes a new version; it becomes the one new signings and re-affirmations record."""
    actor = require_secretariat(actor)
    version = version.strip()
    errors = ErrorCollector()
    for field, value in (
        ("version", version),
        ("titleKo", title_ko),
        ("titleEn", title_en),
        ("bodyKo", body_ko),
        ("bodyEn", body_en),
    ):
        if not value.strip():
            errors.add(ErrorCode.REQUIRED, field, "This is required.")
    if len(pledges) != PLEDGE_COUNT or any(not (p.ko.strip() and p.en.strip()) for p in pledges):
        errors.add(
            ErrorCode.INVALID, "pledges", "The declaration has four pledges, each in Korean and English."
        )
    errors.raise_if_any()
    if version == FIRST_VERSION:
        raise DomainError.single(ErrorCode.DUPLICATE, "This version has already been published.", "version")
    try:
        async with in_transaction():
            row = await DeclarationText.create(
                version=version,
                title_ko=title_ko.strip(),
                title_en=title_en.strip(),
                body_ko=body_ko.strip(),
                body_en=body_en.strip(),
                pledges=[{"ko": p.ko.strip(), "en": p.en.strip()} for p in pledges],
                published_by=actor.user,
            )
            await audit.record("declaration_text.publish", row, actor=actor, after={"version": version})
    except IntegrityError as exc:
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This version has already been published.", "version"
        ) from exc
    return _text(row)


async def published_texts() -> list[Text]:
    """Every version, newest first (there are a handful in the club's life)."""
    rows = await DeclarationText.all().order_by("-id")
    return [*(_text(r) for r in rows), FIRST_TEXT]


async def signatories(*, first: int | None = None, after: str | None = None) -> Page[DeclarationSigning]:
    """Each member's first signing, in order of signing: the club's public list of signatories."""
    query = DeclarationSigning.filter(kind=DeclarationKind.SIGNING).select_related("organization")
    return await paginate(query, first=first, after=after, order=("signed_on", "id"))


async def signing_document(actor: Actor | None, signing_id: int) -> tuple[DeclarationSigning, Text]:
    """One signing with the text it signed, to those who may see the signing organisation."""
    signing = None
    if actor is not None:
        visible = Subquery(Organization.filter(visible_organizations(actor)).values("id"))
        signing = (
            await DeclarationSigning.filter(id=signing_id, organization_id__in=visible)
            .select_related("organization", "recorded_by")
            .first()
        )
    if signing is None:
        raise not_found("signing")
    text = await text_of(signing.text_version) or FIRST_TEXT
    return signing, text


async def signings_by_organization(organization_ids: list[int]) -> dict[int, list[DeclarationSigning]]:
    """The signing records of organisations the caller has already been allowed to see, oldest first."""
    found: dict[int, list[DeclarationSigning]] = {i: [] for i in organization_ids}
    for row in (
        await DeclarationSigning.filter(organization_id__in=organization_ids)
        .select_related("recorded_by")
        .order_by("id")
    ):
        found[row.organization_id].append(row)
    return found
