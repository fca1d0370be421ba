"""Builds the club the tests act in: a secretariat, two conglomerates, an SME and their people."""

from __future__ import annotations

from dataclasses import dataclass

from server.accounts.passwords import hash_password
from server.diagnosis.taking import ensure_questionnaire
from server.membership.business_number import complete
from server.models import (
    ClubMembership,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
    SupplierTier,
    User,
)
from server.money.catalogue import ensure_catalogue
from server.platform.timeutil import now
from server.privacy.notice import ensure_notice
from server.privacy.notice_text import FIRST_VERSION

PASSWORD = "correct-horse-battery"
# One hash for everyone: Argon2 is slow on purpose, and the tests make many users.
_HASH = hash_password(PASSWORD)


@dataclass
class Person:
    user: User
    organization: Organization
    email: str
    password: str = PASSWORD


@dataclass
class World:
    secretariat: Organization
    samsung: Organization
    lg: Organization
    hanbit: Organization
    admin: Person
    samsung_coordinator: Person
    lg_coordinator: Person
    hanbit_rep: Person


async def organization(
    kind: OrganizationKind, name_ko: str, nine_digits: str, name_en: str = ""
) -> Organization:
    org = await Organization.create(
        kind=kind, name_ko=name_ko, name_en=name_en or None, business_number=complete(nine_digits)
    )
    if kind == OrganizationKind.CONGLOMERATE:
        await ClubMembership.create(organization=org)
    return org


async def person(email: str, organization: Organization, role: RoleKind, name: str = "") -> Person:
    user = await User.get_or_none(email=email)
    if user is None:
        # Everyone here accepted the privacy notice when they joined (as the invitation page asks).
        user = await User.create(
            email=email,
            name=name or email.split("@")[0],
            password_hash=_HASH,
            privacy_notice_version=FIRST_VERSION,
            privacy_notice_accepted_at=now(),
        )
    await Role.create(user=user, organization=organization, kind=role)
    return Person(user=user, organization=organization, email=email)


async def build_world() -> World:
    await ensure_catalogue()
    await ensure_questionnaire()
    await ensure_notice()
    secretariat = await organization(OrganizationKind.SECRETARIAT, "기술보호 클럽 사무국", "101810001")
    samsung = await organization(
        OrganizationKind.CONGLOMERATE, "삼성전자", "124810001", "Samsung Electronics"
    )
    lg = await organization(OrganizationKind.CONGLOMERATE, "LG전자", "107860001", "LG Electronics")
    hanbit = await organization(OrganizationKind.SME, "한빛정밀", "134860001", "Hanbit Precision")
    await Partnership.create(
        conglomerate=samsung,
        sme=hanbit,
        tier=SupplierTier.FIRST,
        status=PartnershipStatus.ACTIVE,
        contact_email="rep@hanbit.test",
    )
    return World(
        secretariat=secretariat,
        samsung=samsung,
        lg=lg,
        hanbit=hanbit,
        admin=await person("admin@club.test", secretariat, RoleKind.SECRETARIAT, "사무국 관리자"),
        samsung_coordinator=await person("kim@samsung.test", samsung, RoleKind.COORDINATOR, "김협력"),
        lg_coordinator=await person("park@lg.test", lg, RoleKind.COORDINATOR, "박담당"),
        hanbit_rep=await person("rep@hanbit.test", hanbit, RoleKind.SME_REPRESENTATIVE, "이대표"),
    )
