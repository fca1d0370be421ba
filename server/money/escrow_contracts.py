"""Renewal needs an original: an escrow renewal is claimed only for an escrow contract of the SME that is
ending, either one the club funded (a fulfilled escrow claim) or one the SME made outside the club and
recorded here with its number and end date.

"Ending" is the window the escrow agent works in: from 90 days before the end (its notice comes at 60) to
30 days after, when unrenewed material is destroyed.
"""

from __future__ import annotations

from datetime import date, timedelta

from tortoise.transactions import in_transaction

from server.models import Claim, ClaimStatus, OutsideEscrowContract, ServiceCode
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, forbidden
from server.platform.pagination import Page, paginate
from server.platform.policy import require_actor
from server.platform.text import has_odd_characters
from server.platform.timeutil import in_calendar, in_seoul, now

BEFORE_END = timedelta(days=90)
AFTER_END = timedelta(days=30)


async def has_ending_contract(sme_id: int, today: date) -> bool:
    """Whether the SME holds an escrow contract whose end falls in the renewal window around today."""
    window = {"gte": today - AFTER_END, "lte": today + BEFORE_END}
    funded = Claim.filter(
        sme_id=sme_id,
        status=ClaimStatus.FULFILLED,
        service__code__in=(ServiceCode.ESCROW_NEW, ServiceCode.ESCROW_RENEWAL),
        escrow_contract_ends_on__gte=window["gte"],
        escrow_contract_ends_on__lte=window["lte"],
    )
    outside = OutsideEscrowContract.filter(
        sme_id=sme_id, ends_on__gte=window["gte"], ends_on__lte=window["lte"]
    )
    return await funded.exists() or await outside.exists()


NEEDS_ORIGINAL = (
    "A renewal needs an escrow contract of yours that ends within 90 days: a fulfilled escrow claim, "
    "or a contract made outside the club that you record first."
)


async def require_original(sme_id: int) -> None:
    """Called by `claims.submit_claim` for an escrow renewal."""
    if not await has_ending_contract(sme_id, in_seoul(now()).date()):
        raise DomainError.single(ErrorCode.NOT_ELIGIBLE, NEEDS_ORIGINAL, "serviceId")


async def record_outside_escrow_contract(
    *, actor: Actor | None, contract_number: str, ends_on: date | None
) -> OutsideEscrowContract:
    """An SME records an escrow contract it made without the club, so that it may claim the renewal."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise forbidden()
    number = contract_number.strip()
    errors = ErrorCollector()
    if not number or len(number) > 100 or has_odd_characters(number):
        errors.add(
            ErrorCode.INVALID, "contractNumber", "Give the escrow contract number (100 characters at most)."
        )
    if ends_on is None or not in_calendar(ends_on):
        errors.add(ErrorCode.INVALID, "endsOn", "Give the date the contract ends.")
    errors.raise_if_any()
    async with in_transaction():
        contract = await OutsideEscrowContract.create(
            sme_id=actor.organization.id, contract_number=number, ends_on=ends_on, recorded_by=actor.user
        )
        await audit.record(
            "outside_escrow_contract.record", contract, actor=actor, after={"ends_on": str(ends_on)}
        )
    return contract


async def outside_contracts(
    actor: Actor | None, *, first: int | None = None, after: str | None = None
) -> Page[OutsideEscrowContract]:
    actor = require_actor(actor)
    query = OutsideEscrowContract.filter(sme_id=actor.organization.id)
    if actor.is_secretariat:
        query = OutsideEscrowContract.all()
    return await paginate(query, first=first, after=after)
