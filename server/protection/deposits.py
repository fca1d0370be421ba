"""Escrow proof of possession: the fingerprints of what an SME deposited, and checking a file against them.

`verify_deposit` answers anyone holding a file, signed in or not. What such a verifier learns is decided
here: only whether a file with exactly this SHA-256 was recorded as deposited, and the earliest date it
was deposited on. Not which SME, not the certificate number, not the file's name: those are the SME's
(it sees them on its own deposits page). A digest names a file only to someone who already holds the
file, so the answer tells nothing to someone who does not.

Lock order: the claim row (recording), the case row (citing); never both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from server.models import (
    CaseEntry,
    Claim,
    ClaimStatus,
    DepositFile,
    EntryKind,
    EscrowDeposit,
    ProtectionCase,
    ServiceCode,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, forbidden, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import owns_case, require_actor, visible_claims, visible_deposits
from server.platform.text import has_odd_characters
from server.platform.timeutil import in_calendar, in_seoul, now
from server.protection.cases import lock_case
from server.protection.evidence import SHA256

ESCROW = (ServiceCode.ESCROW_NEW, ServiceCode.ESCROW_RENEWAL)
MAX_FILES = 50


@dataclass(frozen=True)
class DepositedFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class DepositMatch:
    deposited_on: date


def _checked(
    certificate_number: str, deposited_on: date | None, files: list[DepositedFile]
) -> list[DepositedFile]:
    errors = ErrorCollector()
    number = certificate_number.strip()
    if not number or len(number) > 100 or has_odd_characters(number):
        errors.add(
            ErrorCode.INVALID,
            "certificateNumber",
            "Give the escrow certificate number (100 characters at most).",
        )
    today = in_seoul(now()).date()
    if deposited_on is None or not in_calendar(deposited_on) or deposited_on > today:
        errors.add(ErrorCode.INVALID, "depositedOn", "Give the date of the deposit (not in the future).")
    kept = []
    for item in files:
        name, digest = item.name.strip(), item.sha256.strip().lower()
        if (
            not name
            or len(name) > 255
            or has_odd_characters(name)
            or not SHA256.fullmatch(digest)
            or item.size < 0
        ):
            errors.add(
                ErrorCode.INVALID, "files", "Each file needs a name, its size and its SHA-256 fingerprint."
            )
            break
        kept.append(DepositedFile(name, item.size, digest))
    if not files or len(files) > MAX_FILES:
        errors.add(ErrorCode.REQUIRED, "files", "Add the fingerprints of the deposited files (50 at most).")
    errors.raise_if_any()
    return kept


async def record_escrow_deposit(
    *,
    actor: Actor | None,
    claim_id: int,
    certificate_number: str,
    deposited_on: date | None,
    files: list[DepositedFile],
) -> EscrowDeposit:
    """The secretariat or the SME records a fulfilled escrow claim's certificate and file fingerprints."""
    actor = require_actor(actor)
    if not (actor.is_secretariat or actor.is_sme_representative):
        raise not_found("claim")
    kept = _checked(certificate_number, deposited_on, files)
    async with in_transaction():
        claim = await Claim.filter(visible_claims(actor), id=claim_id).select_for_update().first()
        if claim is None:
            raise not_found("claim")
        service = await claim.service
        if claim.status != ClaimStatus.FULFILLED or service.code not in ESCROW:
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "Only a fulfilled escrow claim has a deposit to record."
            )
        deposit = await EscrowDeposit.create(
            sme_id=claim.sme_id,
            claim=claim,
            certificate_number=certificate_number.strip(),
            deposited_on=deposited_on,
            recorded_by=actor.user,
        )
        await DepositFile.bulk_create(
            [DepositFile(deposit=deposit, name=f.name, size=f.size, sha256=f.sha256) for f in kept]
        )
        await audit.record("escrow_deposit.record", deposit, actor=actor, after={"files": len(kept)})
    return deposit


async def verify_deposit(sha256: str) -> DepositMatch | None:
    """Anyone: was a file with exactly this fingerprint deposited, and on which (earliest) date?"""
    digest = sha256.strip().lower()
    if not SHA256.fullmatch(digest):
        raise DomainError.single(
            ErrorCode.INVALID, "A fingerprint is 64 hexadecimal digits (SHA-256).", "sha256"
        )
    ids = await DepositFile.filter(sha256=digest).values_list("deposit_id", flat=True)
    first = await EscrowDeposit.filter(id__in=list(ids)).order_by("deposited_on").first()
    return DepositMatch(deposited_on=first.deposited_on) if first else None


async def list_deposits(
    actor: Actor | None, *, first: int | None = None, after: str | None = None
) -> Page[EscrowDeposit]:
    actor = require_actor(actor)
    query = EscrowDeposit.filter(visible_deposits(actor)).prefetch_related("files")
    return await paginate(query, first=first, after=after)


async def cite_deposit(*, actor: Actor | None, case_id: int, deposit_id: int) -> ProtectionCase:
    """The SME points its case to a deposit of its own: proof it held the technology first."""
    actor = require_actor(actor)
    async with in_transaction():
        case = await lock_case(actor, case_id)
        if not owns_case(actor, case.sme_id):
            raise forbidden()
        deposit = await EscrowDeposit.filter(id=deposit_id, sme_id=case.sme_id).first()
        if deposit is None:
            raise not_found("deposit")
        await CaseEntry.create(
            case=case,
            kind=EntryKind.DEPOSIT_CITED,
            author=actor.user,
            deposit=deposit,
            body=deposit.certificate_number,
        )
        await audit.record("protection_case.cite_deposit", case, actor=actor, after={"deposit": deposit.id})
    return case
