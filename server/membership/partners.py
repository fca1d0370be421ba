"""Partner enrolment: a coordinator invites its partner SMEs, the SME accepts or declines, either side ends.

`enrol` is the one place that turns checked rows into invitations, whether a
coordinator typed one SME or uploaded five thousand: it works in bulk
(a handful of queries per batch) and writes the partnerships, the invitation
links, their mails and the audit entries in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server.accounts.signin import normalize_email
from server.membership import enrolment
from server.membership.business_number import normalize
from server.membership.invitations import valid_email
from server.models import (
    OPEN_CLAIMS,
    AuditEntry,
    Claim,
    Invitation,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    RoleKind,
    SupplierTier,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode, FieldError, forbidden, not_found
from server.platform.outbox import compose_mail, queue_mail
from server.platform.pagination import Page, paginate
from server.platform.policy import (
    require_actor,
    require_coordinator,
    require_member_in_good_standing,
    require_secretariat,
    sponsor_sees_results,
)
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret

BATCH = 500
LIVE = (PartnershipStatus.INVITED, PartnershipStatus.ACTIVE)


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
                "This is not a valid business registration number (123-45-67890).",
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
    first = await enrolment.may_invite_first_representative(
        conglomerate.id, [p.sme.id for p in partnerships], at
    )
    await enrolment.supersede_first_representative_links(
        [p.id for p in partnerships if p.sme.id in first], at
    )
    mails = await enrolment.request_mails(
        [p for p in partnerships if p.sme.id not in first],
        conglomerate=conglomerate,
        inviter=actor.user,
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


async def invite_partner(
    *,
    actor: Actor | None,
    business_number: str,
    name_ko: str,
    tier: SupplierTier | None,
    contact_email: str,
) -> Partnership:
    actor = require_coordinator(actor)
    await require_member_in_good_standing(actor.organization.id)
    row, errors = check_partner(business_number, name_ko, tier, contact_email)
    if row is None:
        raise DomainError(*errors)
    other = (
        await Organization.filter(business_number=row.business_number)
        .exclude(kind=OrganizationKind.SME)
        .exists()
    )
    if other:
        raise DomainError.single(
            ErrorCode.INVALID,
            "This business number belongs to a member conglomerate, not an SME.",
            "businessNumber",
        )
    if await Partnership.exists(
        conglomerate_id=actor.organization.id, sme__business_number=row.business_number, status__in=LIVE
    ):
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This SME is already your partner or has been invited.", "businessNumber"
        )
    try:
        async with in_transaction():
            [partnership] = await enrol(actor, [row])
    except IntegrityError as exc:
        # A colleague invited the same SME at the same moment.
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This SME is already your partner or has been invited.", "businessNumber"
        ) from exc
    return partnership


async def _own_sme_partnership(actor: Actor, partnership_id: int) -> Partnership:
    partnership = (
        await Partnership.filter(id=partnership_id, sme_id=actor.organization.id)
        .select_related("conglomerate", "sme", "invited_by")
        .first()
    )
    if partnership is None or not actor.is_sme_representative:
        raise not_found("partnership")
    return partnership


async def _decide(
    actor: Actor | None, partnership_id: int, status: PartnershipStatus, reason: str = ""
) -> Partnership:
    actor = require_actor(actor)
    partnership = await _own_sme_partnership(actor, partnership_id)
    at = now()
    changes: dict[str, object] = {"status": status}
    if status == PartnershipStatus.ACTIVE:
        changes["accepted_at"] = at
    else:
        changes.update(ended_at=at, end_reason=reason.strip())
    async with in_transaction():
        moved = await Partnership.filter(id=partnership.id, status=PartnershipStatus.INVITED).update(
            **changes
        )
        if moved != 1:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This invitation has already been answered.")
        if status == PartnershipStatus.ACTIVE:
            await Organization.filter(id=actor.organization.id, status=OrganizationStatus.PENDING).update(
                status=OrganizationStatus.ACTIVE
            )
        await partnership.refresh_from_db()
        action = "partnership.accept" if status == PartnershipStatus.ACTIVE else "partnership.decline"
        await audit.record(
            action,
            partnership,
            actor=actor,
            before={"status": "invited"},
            after={"status": status.value, "reason": reason.strip()},
        )
        if partnership.invited_by is not None:
            await queue_mail(
                partnership.invited_by.email,
                "partnership_answered",
                partnership=partnership,
                sme=partnership.sme,
                accepted=status == PartnershipStatus.ACTIVE,
                reason=reason.strip(),
            )
    return partnership


async def accept_partnership(*, actor: Actor | None, partnership_id: int) -> Partnership:
    return await _decide(actor, partnership_id, PartnershipStatus.ACTIVE)


async def decline_partnership(*, actor: Actor | None, partnership_id: int, reason: str = "") -> Partnership:
    return await _decide(actor, partnership_id, PartnershipStatus.ENDED, reason)


async def partner_of(actor: Actor | None, partnership_id: int) -> Partnership:
    """One of the coordinator's partnerships."""
    actor = require_coordinator(actor)
    partnership = (
        await Partnership.filter(id=partnership_id, conglomerate_id=actor.organization.id)
        .select_related("sme")
        .first()
    )
    if partnership is None:
        raise not_found("partnership")
    return partnership


async def open_claims(partnership: Partnership) -> int:
    """Claims the SME still has open under this conglomerate's commitments."""
    return await Claim.filter(
        sme_id=partnership.sme_id,
        commitment__conglomerate_id=partnership.conglomerate_id,
        status__in=OPEN_CLAIMS,
    ).count()


def end_reason(reason: str) -> str:
    """Ending a partnership says why: the reason stripped, refused when blank (pages ask before confirming)."""
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give a reason for ending the partnership.", "reason")
    return reason


async def end_partnership(*, actor: Actor | None, partnership_id: int, reason: str) -> Partnership:
    partnership = await partner_of(actor, partnership_id)
    actor = require_coordinator(actor)
    end_reason(reason)
    async with in_transaction():
        moved = await Partnership.filter(id=partnership.id, status__in=LIVE).update(
            status=PartnershipStatus.ENDED, ended_at=now(), end_reason=reason.strip()
        )
        if moved != 1:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This partnership has already ended.")
        await audit.record(
            "partnership.end",
            partnership,
            actor=actor,
            before={"status": partnership.status.value},
            after={"status": "ended", "reason": reason.strip()},
        )
        await queue_mail(
            partnership.contact_email,
            "partnership_ended",
            conglomerate=actor.organization,
            sme=partnership.sme,
            reason=reason.strip(),
        )
        await partnership.refresh_from_db()
    return partnership


class PartnerOrder(StrEnum):
    NEWEST = "newest"
    NAME = "name"
    BUSINESS_NUMBER = "business_number"
    WEAKEST_FIRST = "weakest_first"  # by shared self-diagnosis score; lists only partners that share


_ORDERS = {
    PartnerOrder.NEWEST: ("-id",),
    PartnerOrder.NAME: ("sme__name_ko", "id"),
    PartnerOrder.BUSINESS_NUMBER: ("sme__business_number", "id"),
    PartnerOrder.WEAKEST_FIRST: ("sme__shared_diagnosis_score", "id"),
}


@dataclass(frozen=True)
class PartnerFilter:
    search: str | None = None
    tier: SupplierTier | None = None
    status: PartnershipStatus | None = None
    level: ProtectionLevel | None = None  # of the partner's shared self-diagnosis


def _partners_query(
    actor: Actor, where: PartnerFilter, order: PartnerOrder = PartnerOrder.NEWEST
) -> QuerySet[Partnership]:
    query = Partnership.filter(conglomerate_id=actor.organization.id).select_related("sme")
    if where.level is not None:
        query = query.filter(sponsor_sees_results(), sme__shared_diagnosis_level=where.level)
    if order == PartnerOrder.WEAKEST_FIRST:
        # Keyset pages need a value in every row: partners whose results are hidden have none.
        query = query.filter(sponsor_sees_results(), sme__shared_diagnosis_score__isnull=False)
    if where.tier is not None:
        query = query.filter(tier=where.tier)
    if where.status is not None:
        query = query.filter(status=where.status)
    if where.search and where.search.strip():
        term = where.search.strip()
        digits = term.replace("-", "")
        match = Q(sme__name_ko__icontains=term) | Q(sme__name_en__icontains=term)
        if digits.isdigit():
            match |= Q(sme__business_number__startswith=digits)
        query = query.filter(match)
    return query


async def list_partners(
    actor: Actor | None,
    where: PartnerFilter,
    *,
    order: PartnerOrder = PartnerOrder.NEWEST,
    first: int | None = None,
    after: str | None = None,
) -> Page[Partnership]:
    actor = require_coordinator(actor)
    return await paginate(
        _partners_query(actor, where, order), first=first, after=after, order=_ORDERS[order]
    )


async def export_partners(actor: Actor | None, where: PartnerFilter) -> AsyncIterator[list[Partnership]]:
    """Every matching partnership, a page at a time, for the CSV download."""
    actor = require_coordinator(actor)
    after = None
    while True:
        page = await paginate(
            _partners_query(actor, where), first=100, after=after, order=_ORDERS[PartnerOrder.NAME]
        )
        yield page.items
        if not page.has_next_page:
            return
        after = page.end_cursor


async def partnerships_of_sme(actor: Actor | None) -> list[Partnership]:
    """An SME's sponsors and pending invitations, newest first."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise forbidden()
    return (
        await Partnership.filter(sme_id=actor.organization.id)
        .select_related("conglomerate")
        .order_by("-id")
        .limit(200)
    )


@dataclass(frozen=True)
class PartnershipTotals:
    conglomerate: Organization
    invited: int
    active: int
    ended: int


async def partnership_totals(actor: Actor | None) -> list[PartnershipTotals]:
    """Per conglomerate, how many partners are invited, active and ended (secretariat)."""
    require_secretariat(actor)
    counts = await (
        Partnership.annotate(n=Count("id"))
        .group_by("conglomerate_id", "status")
        .values("conglomerate_id", "status", "n")
    )
    conglomerates = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("name_ko")
    by_org: dict[int, dict[str, int]] = {}
    for row in counts:
        by_org.setdefault(row["conglomerate_id"], {})[str(row["status"])] = row["n"]
    return [
        PartnershipTotals(
            org,
            by_org.get(org.id, {}).get("invited", 0),
            by_org.get(org.id, {}).get("active", 0),
            by_org.get(org.id, {}).get("ended", 0),
        )
        for org in conglomerates
    ]


async def partnerships_of(
    actor: Actor | None,
    organization: Organization,
    *,
    status: PartnershipStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Partnership] | None:
    """An organisation's partnerships, from its own side; None for anyone but itself and the secretariat."""
    actor = require_actor(actor)
    if not (actor.is_secretariat or actor.organization.id == organization.id):
        return None
    side = "conglomerate_id" if organization.kind == OrganizationKind.CONGLOMERATE else "sme_id"
    query = Partnership.filter(**{side: organization.id})
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)
