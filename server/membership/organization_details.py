"""Editing an organisation's details: its names, sector, representative, address and main contact.

Locks: the organisation row. Every change is audited with the fields' values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from tortoise.transactions import in_transaction

from server.accounts.signin import normalize_email
from server.membership.invitations import valid_email
from server.models import Organization
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import ErrorCode, ErrorCollector, not_found
from server.platform.policy import may_manage_organization, require_actor


@dataclass(frozen=True)
class OrganizationDetails:
    """The editable details; None leaves a field as it is."""

    name_ko: str | None = None
    name_en: str | None = None
    sector: str | None = None
    representative_name: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def _cleaned(details: OrganizationDetails) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    errors = ErrorCollector()
    for field in fields(details):
        value = getattr(details, field.name)
        if value is None:
            continue
        value = value.strip()
        if field.name == "name_ko" and not value:
            errors.add(ErrorCode.REQUIRED, "nameKo", "Enter the Korean name.")
        if field.name == "contact_email" and value:
            value = normalize_email(value)
            if not valid_email(value):
                errors.add(ErrorCode.INVALID, "contactEmail", "Enter a valid e-mail address.")
        changes[field.name] = (value or None) if field.name == "name_en" else value
    errors.raise_if_any()
    return changes


async def update_organization(
    *, actor: Actor | None, organization_id: int, details: OrganizationDetails
) -> Organization:
    """The secretariat, or the organisation's own managers, change its details; the audit keeps before/after."""
    actor = require_actor(actor)
    if not may_manage_organization(actor, organization_id):
        raise not_found("organization")
    changes = _cleaned(details)
    async with in_transaction():
        organization = await Organization.filter(id=organization_id).select_for_update().first()
        if organization is None:
            raise not_found("organization")
        changed = {k: v for k, v in changes.items() if getattr(organization, k) != v}
        if not changed:
            return organization
        before = {k: getattr(organization, k) for k in changed}
        for key, value in changed.items():
            setattr(organization, key, value)
        await organization.save(update_fields=list(changed))
        await audit.record("organization.update", organization, actor=actor, before=before, after=changed)
    return organization
