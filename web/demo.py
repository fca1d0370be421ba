"""Demo data for a fresh install, and the first secretariat admin."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tortoise.transactions import in_transaction

from server.accounts.passwords import MIN_LENGTH, hash_password
from server.diagnosis import taking as diagnosis
from server.diagnosis.areas import VERSION_2, answers_by_area
from server.diagnosis.taking import ensure_questionnaire
from server.membership.business_number import complete
from server.membership.organizations import DECLARATION_TEXT
from server.models import (
    ClubMembership,
    DeclarationKind,
    DeclarationSigning,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
    Service,
    ServiceCode,
    SupplierTier,
    User,
)
from server.money import claim_fulfilment, claims, commitments, transfers
from server.money.catalogue import ensure_catalogue
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.settings import load_settings
from server.platform.timeutil import in_seoul, now
from server.seminars import registrations
from server.seminars import schedule as seminars
from server.seminars.schedule import SeminarTopic

SECRETARIAT = ("중소기업 기술보호 클럽 사무국", "SME Tech Protection Club Secretariat", "101810001")

# The large companies named among the signatories of the November 2011 declaration.
CONGLOMERATES = [
    ("삼성전자", "Samsung Electronics", "124810001", "전자"),
    ("LG전자", "LG Electronics", "107860001", "전자"),
    ("SK텔레콤", "SK Telecom", "104810001", "통신"),
    ("KT", "KT", "102810001", "통신"),
    ("현대자동차", "Hyundai Motor", "101810002", "자동차"),
    ("POSCO", "POSCO", "506810001", "철강"),
    ("호남석유화학", "Honam Petrochemical", "410810001", "석유화학"),
]

SMES = [
    ("한빛정밀", "Hanbit Precision", "134860001", "정밀기계"),
    ("세진테크", "Sejin Tech", "214860001", "반도체 장비"),
    ("미래소재", "Mirae Materials", "312860001", "소재"),
    ("누리소프트", "Nuri Soft", "220860001", "소프트웨어"),
    ("대성전자부품", "Daesung Electronic Parts", "129860001", "전자부품"),
]

DEMO_USERS = [
    ("secretariat", "admin@techclub.local", "사무국 관리자", "club-admin-2011"),
    ("coordinator", "coordinator@samsung.demo", "김협력", "samsung-demo-2011"),
    ("sme_representative", "rep@hanbit.demo", "이대표", "hanbit-demo-2011"),
]


async def _organization(
    kind: OrganizationKind, name_ko: str, name_en: str, nine: str, sector: str
) -> Organization:
    return await Organization.create(
        kind=kind, name_ko=name_ko, name_en=name_en, business_number=complete(nine), sector=sector
    )


async def load_demo(*, only_if_empty: bool) -> list[tuple[str, str, str]] | None:
    """Load the demo world; the (role, e-mail, password) to sign in with, or None if skipped."""
    if load_settings().production:
        raise DomainError.single(ErrorCode.FORBIDDEN, "Demo data is never loaded in production.")
    if only_if_empty and await Organization.exists():
        return None
    async with in_transaction():
        secretariat = await _organization(OrganizationKind.SECRETARIAT, *SECRETARIAT, "협회")
        conglomerates = []
        for index, row in enumerate(CONGLOMERATES):
            organization = await _organization(OrganizationKind.CONGLOMERATE, *row)
            signed = index < 4
            await ClubMembership.create(
                organization=organization,
                status=MembershipStatus.ACTIVE if index < 6 else MembershipStatus.APPLIED,
                admitted_at=now() if index < 6 else None,
                declaration_signed_on=date(2011, 11, 1) if signed else None,
            )
            if signed:
                await DeclarationSigning.create(
                    organization=organization,
                    kind=DeclarationKind.SIGNING,
                    signed_on=date(2011, 11, 1),
                    signer_name="대표이사",
                    text_version=DECLARATION_TEXT,
                    pledge_partnership=True,
                    pledge_infrastructure=True,
                    pledge_fair_dealing=True,
                    pledge_awareness=True,
                )
            conglomerates.append(organization)
        smes = [await _organization(OrganizationKind.SME, *row) for row in SMES]
        for index, sme in enumerate(smes):
            for sponsor in conglomerates[: 1 + index % 2]:
                await Partnership.create(
                    conglomerate=sponsor,
                    sme=sme,
                    tier=SupplierTier.FIRST if index < 3 else SupplierTier.SECOND,
                    status=PartnershipStatus.ACTIVE,
                    contact_email=f"contact{index}@sme.demo",
                    accepted_at=now(),
                )
        await ensure_catalogue()
        await ensure_questionnaire()
        homes = {"secretariat": secretariat, "coordinator": conglomerates[0], "sme_representative": smes[0]}
        actors = {}
        for role, email, name, password in DEMO_USERS:
            user = await User.create(email=email, name=name, password_hash=hash_password(password))
            await Role.create(user=user, organization=homes[role], kind=RoleKind(role))
            actors[role] = Actor(user, homes[role], RoleKind(role))
        await _cost_sharing(actors["coordinator"], actors["sme_representative"], actors["secretariat"])
        await _seminars(actors["secretariat"], actors["sme_representative"], conglomerates)
        await _diagnosis(actors["sme_representative"])
    return [(role, email, password) for role, email, _, password in DEMO_USERS]


async def _cost_sharing(coordinator: Actor, representative: Actor, secretariat: Actor) -> None:
    """Samsung's commitment for the year, one claim carried to fulfilment and one awaiting review."""
    today = in_seoul(now()).date()
    services = {s.code: s for s in await Service.all()}
    commitment = await commitments.create_commitment(
        actor=coordinator,
        data=commitments.CommitmentInput(
            name=f"{today.year}년 협력사 기술보호 비용 지원",
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
            service_ids=[s.id for s in services.values()],
            share_percent=70,
            budget=30_000_000,
            eligible_tiers=[SupplierTier.FIRST, SupplierTier.SECOND],
            cap_per_claim=300_000,
        ),
    )
    await commitments.activate_commitment(actor=coordinator, commitment_id=commitment.id)
    delivered = await claims.submit_claim(
        actor=representative,
        commitment_id=commitment.id,
        service_id=services[ServiceCode.ESCROW_NEW].id,
        details="CNC 제어 펌웨어 소스코드 v3.2, 금형 설계도면 12종",
        quantity=2,
    )
    approved = await claims.approve_claim(actor=coordinator, claim_id=delivered.id)
    await transfers.record_bank_transfer(
        actor=secretariat,
        claim_id=delivered.id,
        data=transfers.TransferInput(approved.sme_share or 0, today, "(주)한빛정밀"),
    )
    await claim_fulfilment.fulfill_claim(
        actor=secretariat,
        claim_id=delivered.id,
        fulfilment=claim_fulfilment.Fulfilment("KEC-임치-2026-0042", today.replace(year=today.year + 1)),
    )
    await claims.submit_claim(
        actor=representative,
        commitment_id=commitment.id,
        service_id=services[ServiceCode.GUARD_SUBSCRIPTION].id,
        details="사무실 PC 12대, 서버 2대",
    )


async def _seminars(secretariat: Actor, representative: Actor, conglomerates: list[Organization]) -> None:
    """Three published seminars in the coming weeks; the demo SME has a seat at the first."""
    day = in_seoul(now()).date()

    def at(days: int, hour: int) -> datetime:
        moment = day + timedelta(days=days)
        return datetime(moment.year, moment.month, moment.day, hour)

    plans = [
        (
            "기술유출 대응 실무 워크숍",
            "Leak-response workshop",
            SeminarTopic.LEAK_RESPONSE,
            "코엑스 컨퍼런스룸 301호",
            "",
            7,
            40,
            [0],
        ),
        (
            "기술임치 제도 설명회",
            "Technology escrow briefing",
            SeminarTopic.ESCROW,
            "",
            "https://meet.techclub.local/escrow",
            10,
            200,
            [1],
        ),
        (
            "영업비밀 보호 전략 세미나",
            "Trade secret protection strategy",
            SeminarTopic.STRATEGY,
            "대한상공회의소 국제회의장",
            "",
            21,
            120,
            [0, 1],
        ),
    ]
    for title_ko, title_en, topic, venue, url, days, capacity, hosts in plans:
        seminar = await seminars.schedule_seminar(
            actor=secretariat,
            data=seminars.SeminarInput(
                title_ko=title_ko,
                title_en=title_en,
                topic=topic.value,
                venue=venue,
                online_url=url,
                starts_at=at(days, 14),
                ends_at=at(days, 17),
                capacity=capacity,
                seats_per_organization=5,
                co_host_ids=[conglomerates[i].id for i in hosts],
                speakers="산업기술보호협회 전문위원",
            ),
        )
        await seminars.publish_seminar(actor=secretariat, seminar_id=seminar.id)
        if days == 7:
            await registrations.register_for_seminar(actor=representative, seminar_id=seminar.id)


async def _diagnosis(representative: Actor) -> None:
    """Hanbit's self-diagnosis, shared with its sponsors: a strong policy, weak technical controls."""
    values = {
        "protection_policy": 4,
        "administrative": 3,
        "physical": 3,
        "technical": 1,
        "incident_management": 2,
    }
    answers = answers_by_area(VERSION_2, values)
    await diagnosis.submit(actor=representative, answers=answers)
    await diagnosis.set_sharing(actor=representative, shared=True)


async def create_first_admin(*, email: str, name: str, password: str) -> User:
    """The first secretariat admin, and the secretariat organisation if there is none yet."""
    if len(password) < MIN_LENGTH:
        raise DomainError.single(ErrorCode.INVALID, f"Use at least {MIN_LENGTH} characters.", "password")
    email = email.strip().lower()
    async with in_transaction():
        if await User.exists(email=email):
            raise DomainError.single(ErrorCode.DUPLICATE, "This e-mail already has an account.", "email")
        secretariat = await Organization.filter(kind=OrganizationKind.SECRETARIAT).first()
        if secretariat is None:
            secretariat = await Organization.create(
                kind=OrganizationKind.SECRETARIAT, name_ko=SECRETARIAT[0], name_en=SECRETARIAT[1]
            )
        user = await User.create(email=email, name=name.strip(), password_hash=hash_password(password))
        await Role.create(user=user, organization=secretariat, kind=RoleKind.SECRETARIAT)
        await audit.record("user.create_admin", user, user=user, after={"email": email})
    return user
