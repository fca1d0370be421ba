"""Demo data for a fresh install, and the first secretariat admin."""

from __future__ import annotations

from datetime import date

from tortoise.transactions import in_transaction

from server import audit
from server.business_number import complete
from server.errors import DomainError, ErrorCode
from server.models import (
    ClubMembership,
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
from server.passwords import MIN_LENGTH, hash_password
from server.settings import load_settings
from server.timeutil import now

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

CATALOGUE = [
    (
        ServiceCode.ESCROW_NEW,
        "기술자료 임치 신규 계약",
        "Technology escrow, new contract",
        "대·중소기업·농어업협력재단",
        "건당 1년",
        300_000,
    ),
    (
        ServiceCode.ESCROW_RENEWAL,
        "기술자료 임치 갱신 계약",
        "Technology escrow, renewal",
        "대·중소기업·농어업협력재단",
        "건당 1년",
        150_000,
    ),
    (
        ServiceCode.GUARD_SUBSCRIPTION,
        "온라인 기술지킴서비스",
        "Online tech guard service",
        "한국산업기술보호협회",
        "1년 구독",
        0,
    ),
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
                declaration_signer_name="대표이사" if signed else "",
                pledge_partnership=signed,
                pledge_infrastructure=signed,
                pledge_fair_dealing=signed,
                pledge_awareness=signed,
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
        for code, name_ko, name_en, provider, unit, price in CATALOGUE:
            await Service.create(
                code=code,
                name_ko=name_ko,
                name_en=name_en,
                provider=provider,
                billing_unit=unit,
                list_price=price,
            )
        homes = {"secretariat": secretariat, "coordinator": conglomerates[0], "sme_representative": smes[0]}
        for role, email, name, password in DEMO_USERS:
            user = await User.create(email=email, name=name, password_hash=hash_password(password))
            await Role.create(user=user, organization=homes[role], kind=RoleKind(role))
    return [(role, email, password) for role, email, _, password in DEMO_USERS]


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
