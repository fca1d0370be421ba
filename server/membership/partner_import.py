"""Enrolling partners from a spreadsheet: preview every row, then invite the valid new ones.

Committing runs in batches, each in its own transaction, and records how many
rows are done, so the page can show progress and a restart loses nothing.
Running the same file again invites nobody twice: partners that are already
live are counted as such at preview and skipped again at commit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tortoise.transactions import in_transaction

from server.membership.business_number import normalize
from server.membership.enrolment import BATCH, PartnerRow, check_partner, enrol, parse_tier
from server.membership.partners import LIVE
from server.membership.spreadsheets import read_partner_rows
from server.models import (
    ImportStatus,
    Organization,
    OrganizationKind,
    PartnerImport,
    Partnership,
    SupplierTier,
)
from server.platform.actor import Actor
from server.platform.errors import ErrorCode, FieldError, not_found
from server.platform.policy import require_coordinator
from server.platform.standing import require_member_in_good_standing
from server.platform.timeutil import now

NEW, EXISTING, INVALID = "new", "existing", "invalid"


def _error(error: FieldError) -> dict[str, Any]:
    return {"field": error.field, "code": error.code.value, "message": error.message}


async def _known(numbers: list[str], conglomerate_id: int) -> tuple[set[str], set[str]]:
    """Of these numbers: those that are not SMEs, and those already live partners of this conglomerate."""
    not_sme: set[str] = set()
    live: set[str] = set()
    for start in range(0, len(numbers), 1000):
        chunk = numbers[start : start + 1000]
        rows = await Organization.filter(business_number__in=chunk).values_list("business_number", "kind")
        not_sme |= {number for number, kind in rows if kind != OrganizationKind.SME}
        partnered = await Partnership.filter(
            conglomerate_id=conglomerate_id, sme__business_number__in=chunk, status__in=LIVE
        ).values_list("sme__business_number", flat=True)
        live |= set(map(str, partnered))
    return not_sme, live


async def preview_partner_import(*, actor: Actor | None, filename: str, content: bytes) -> PartnerImport:
    actor = require_coordinator(actor)
    await require_member_in_good_standing(actor.organization.id)
    raw_rows = read_partner_rows(filename, content)
    not_sme, live = await _known(
        [n for n in (normalize(r["business_number"]) for r in raw_rows) if n], actor.organization.id
    )
    first_seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for raw in raw_rows:
        row, errors = check_partner(
            raw["business_number"], raw["name"], parse_tier(raw["tier"]), raw["email"]
        )
        outcome = INVALID if errors else NEW
        if row is not None:
            number = row.business_number
            if number in first_seen:
                errors = [
                    FieldError(
                        ErrorCode.DUPLICATE,
                        "This business number appears twice in the file.",
                        "businessNumber",
                    )
                ]
                outcome = INVALID
            elif number in not_sme:
                errors = [
                    FieldError(
                        ErrorCode.INVALID,
                        "This business number belongs to a member conglomerate, not an SME.",
                        "businessNumber",
                    )
                ]
                outcome = INVALID
            elif number in live:
                outcome = EXISTING
            first_seen.setdefault(number, raw["row"])
        rows.append(
            {
                **raw,
                "business_number": row.business_number if row else raw["business_number"],
                "tier": row.tier.value if row else raw["tier"],
                "email": row.contact_email if row else raw["email"],
                "outcome": outcome,
                "errors": [_error(e) for e in errors],
            }
        )
    return await PartnerImport.create(
        conglomerate=actor.organization,
        uploaded_by=actor.user,
        filename=filename[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        rows=rows,
        new_count=sum(r["outcome"] == NEW for r in rows),
        existing_count=sum(r["outcome"] == EXISTING for r in rows),
        invalid_count=sum(r["outcome"] == INVALID for r in rows),
    )


async def get_partner_import(actor: Actor | None, import_id: int) -> PartnerImport:
    actor = require_coordinator(actor)
    found = await PartnerImport.get_or_none(id=import_id, conglomerate_id=actor.organization.id)
    if found is None:
        raise not_found("import")
    return found


async def start_partner_import(actor: Actor | None, import_id: int) -> tuple[PartnerImport, bool]:
    """Mark the import as committing; False when it was already started or done (nothing to run)."""
    found = await get_partner_import(actor, import_id)
    await require_member_in_good_standing(found.conglomerate_id)
    started = await PartnerImport.filter(id=found.id, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.COMMITTING
    )
    await found.refresh_from_db()
    return found, started == 1


async def run_partner_import(actor: Actor, import_id: int) -> PartnerImport:
    """Invite the new rows, a batch per transaction, recording progress after each."""
    partner_import = await PartnerImport.get(id=import_id, conglomerate_id=actor.organization.id)
    pending = [r for r in partner_import.rows if r["outcome"] == NEW][partner_import.processed_count :]
    done = partner_import.processed_count
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        rows = [
            PartnerRow(r["business_number"], r["name"].strip(), SupplierTier(r["tier"]), r["email"])
            for r in batch
        ]
        async with in_transaction():
            # A colleague may have invited some of them since the preview.
            _, live = await _known([r.business_number for r in rows], actor.organization.id)
            fresh = [r for r in rows if r.business_number not in live]
            if fresh:
                await enrol(actor, fresh)
            done += len(batch)
            await PartnerImport.filter(id=import_id).update(processed_count=done)
    await PartnerImport.filter(id=import_id).update(status=ImportStatus.COMMITTED, committed_at=now())
    await partner_import.refresh_from_db()
    return partner_import


async def commit_partner_import(*, actor: Actor | None, import_id: int) -> PartnerImport:
    partner_import, started = await start_partner_import(actor, import_id)
    if not started:
        return partner_import
    return await run_partner_import(require_coordinator(actor), import_id)
