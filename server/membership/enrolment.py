"""Enrolling partners: each row checked, then invitations or partnership requests, in one batch.

Who an enrolment may reach: a conglomerate never adds people to another organisation.

Enrolling an SME that is new to the platform mails its contact the invitation
that makes the first representative. An SME that already has members (or whose
first representative another enrolment already invited) gets a partnership
request instead: its own members are mailed to answer it from their page, and
the contact the conglomerate typed only receives a notice, with no link that
could make its holder a member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from server.accounts.signin import normalize_email
from server.membership.business_number import normalize
from server.membership.business_number import problem as number_problem
from server.membership.invitations import valid_email
from server.models import (
    AuditEntry,
    Invitation,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
    SupplierTier,
    User,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import ErrorCode, FieldError
from server.platform.outbox import compose_mail
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret


async def may_invite_first_representative(
    conglomerate_id: int, sme_ids: Iterable[int], at: datetime
) -> set[int]:
    """Of these SMEs, those nobody belongs to and nobody else has invited a first representative to."""
    ids = list(sme_ids)
    # Tortoise's stubs type a flat values_list as tuples.
    staffed = cast(
        "set[int]",
        set(await Role.filter(organization_id__in=ids).distinct().values_list("organization_id", flat=True)),
    )
    pending = await Invitation.filter(
        organization_id__in=ids, accepted_at=None, expires_at__gt=at
    ).values_list("organization_id", "partnership__conglomerate_id")
    claimed = {sme for sme, by in pending if by != conglomerate_id}
    return {i for i in ids if i not in staffed and i not in claimed}


async def supersede_first_representative_links(partnership_ids: list[int], at: datetime) -> None:
    """A re-enrolment mails a fresh link; the one it replaces stops working."""
    await Invitation.filter(partnership_id__in=partnership_ids, accepted_at=None, expires_at__gt=at).update(
        expires_at=at
    )


async def request_mails(
    partnerships: list[Partnership], *, conglomerate: Organization, inviter: User
) -> list[OutgoingMail]:
    """The SMEs' own members are asked to answer; each contact who is not one of them is told."""
    members: dict[int, list[User]] = {}
    for role in await Role.filter(
        organization_id__in=[p.sme.id for p in partnerships], user__is_active=True
    ).select_related("user"):
        members.setdefault(role.organization_id, []).append(role.user)
    mails = []
    for partnership in partnerships:
        context = {
            "conglomerate": conglomerate,
            "sme": partnership.sme,
            "tier": partnership.tier.value,
            "inviter": inviter,
        }
        people = members.get(partnership.sme.id, [])
        for person in people:
            mails.append(
                compose_mail(
                    person.email, "partnership_request", link=f"{settings().base_url}/partnerships", **context
                )
            )
        if partnership.contact_email not in {p.email for p in people}:
            mails.append(compose_mail(partnership.contact_email, "partnership_request_notice", **context))
    return mails


async def awaits_first_representative(partnership_id: int) -> bool:
    """Whether this enrolment mailed a first-representative link that is still unused."""
    return await Invitation.exists(partnership_id=partnership_id, accepted_at=None)


BATCH = 500


_TIERS = {
    "1": SupplierTier.FIRST,
    "1차": SupplierTier.FIRST,
    "2": SupplierTier.SECOND,
    "2차": SupplierTier.SECOND,
}


def parse_tier(text: str) -> SupplierTier | None:
    """A tier as people write it: 1, 2, 1차, 2차, 1st tier."""
    return _TIERS.get(
        text.strip().replace(" ", "").lower().removesuffix("tier").removesuffix("st").removesuffix("nd")
    )


@dataclass(frozen=True)
class PartnerRow:
    business_number: str
    name_ko: str
    tier: SupplierTier
    contact_email: str


def check_partner(
    business_number: str, name_ko: str, tier: SupplierTier | None, contact_email: str
) -> tuple[PartnerRow | None, list[FieldError]]:
    """The row if every field is right, else what is wrong with each field."""
    errors: list[FieldError] = []
    number = normalize(business_number)
    if not business_number.strip():
        errors.append(
            FieldError(ErrorCode.REQUIRED, "Enter the business registration number.", "businessNumber")
        )
    elif number is None:
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                number_problem(business_number),
                "businessNumber",
            )
        )
    if not name_ko.strip():
        errors.append(FieldError(ErrorCode.REQUIRED, "Enter the company name.", "name"))
    if tier is None:
        errors.append(FieldError(ErrorCode.INVALID, "The tier must be 1 or 2.", "tier"))
    email = normalize_email(contact_email)
    if not email:
        errors.append(FieldError(ErrorCode.REQUIRED, "Enter the contact e-mail.", "contactEmail"))
    elif not valid_email(email):
        errors.append(FieldError(ErrorCode.INVALID, "Enter a valid e-mail address.", "contactEmail"))
    if errors or number is None or tier is None:
        return None, errors
    return PartnerRow(number, name_ko.strip(), tier, email), []


async def enrol(actor: Actor, rows: list[PartnerRow]) -> list[Partnership]:
    """Invite these SMEs (none already a live partner) to partner the actor's conglomerate.

    New SMEs are created pending and their contact is invited as first representative; an SME
    that has members is only asked (see `server.membership.enrolment`). Ended partnerships re-open with their history.
    Call inside a transaction.
    """
    conglomerate = actor.organization
    numbers = [row.business_number for row in rows]
    known = {
        o.business_number
        for o in await Organization.filter(business_number__in=numbers).only("business_number")
    }
    await Organization.bulk_create(
        [
            Organization(
                kind=OrganizationKind.SME,
                status=OrganizationStatus.PENDING,
                name_ko=row.name_ko,
                business_number=row.business_number,
            )
            for row in rows
            if row.business_number not in known
        ],
        batch_size=BATCH,
    )
    smes = {o.business_number: o for o in await Organization.filter(business_number__in=numbers)}
    existing = {
        p.sme_id: p
        for p in await Partnership.filter(
            conglomerate_id=conglomerate.id, sme_id__in=[o.id for o in smes.values()]
        )
    }
    at = now()
    fresh: list[Partnership] = []
    reopened: dict[int, dict[str, object]] = {}
    for row in rows:
        sme = smes[row.business_number]
        previous = existing.get(sme.id)
        if previous is None:
            fresh.append(
                Partnership(
                    conglomerate_id=conglomerate.id,
                    sme_id=sme.id,
                    tier=row.tier,
                    contact_email=row.contact_email,
                    invited_by_id=actor.user.id,
                    invited_at=at,
                )
            )
            continue
        reopened[sme.id] = {
            "status": previous.status.value,
            "ended_at": str(previous.ended_at),
            "end_reason": previous.end_reason,
        }
        await Partnership.filter(id=previous.id, status=PartnershipStatus.ENDED).update(
            status=PartnershipStatus.INVITED,
            tier=row.tier,
            contact_email=row.contact_email,
            invited_by_id=actor.user.id,
            invited_at=at,
            accepted_at=None,
            ended_at=None,
            end_reason="",
        )
    await Partnership.bulk_create(fresh, batch_size=BATCH)
    partnerships = await Partnership.filter(
        conglomerate_id=conglomerate.id, sme_id__in=[smes[n].id for n in numbers]
    ).select_related("sme")
    expires_at = at + timedelta(days=settings().invitation_days)
    first = await may_invite_first_representative(conglomerate.id, [p.sme.id for p in partnerships], at)
    await supersede_first_representative_links([p.id for p in partnerships if p.sme.id in first], at)
    mails = await request_mails(
        [p for p in partnerships if p.sme.id not in first], conglomerate=conglomerate, inviter=actor.user
    )
    invitations, entries = [], []
    for partnership in partnerships:
        before = reopened.get(partnership.sme.id)
        entries.append(
            audit.entry(
                "partnership.reopen" if before else "partnership.invite",
                partnership,
                actor=actor,
                before=before,
                after={
                    "sme": partnership.sme.id,
                    "tier": partnership.tier.value,
                    "contact_email": partnership.contact_email,
                    "first_representative_invited": partnership.sme.id in first,
                },
            )
        )
        if partnership.sme.id not in first:
            continue
        secret = new_secret()
        invitations.append(
            Invitation(
                email=partnership.contact_email,
                organization_id=partnership.sme.id,
                role=RoleKind.SME_REPRESENTATIVE,
                token_hash=digest(secret),
                invited_by_id=actor.user.id,
                expires_at=expires_at,
                partnership_id=partnership.id,
            )
        )
        mails.append(
            compose_mail(
                partnership.contact_email,
                "partner_invitation",
                conglomerate=conglomerate,
                sme=partnership.sme,
                tier=partnership.tier.value,
                inviter=actor.user,
                link=f"{settings().base_url}/invitations/{secret}",
                expires_at=expires_at,
            )
        )
    await Invitation.bulk_create(invitations, batch_size=BATCH)
    await OutgoingMail.bulk_create(mails, batch_size=BATCH)
    await AuditEntry.bulk_create(entries, batch_size=BATCH)
    return list(partnerships)
