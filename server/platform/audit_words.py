"""The audit trail in words: one formatter for every reader (record pages, the log, GraphQL, CSV).

An entry's `before`/`after` hold raw values (ids, enum values, ISO dates, won as int). Here each field
gets a label, and each value the form people read: amounts in won, moments in Seoul time, statuses and
roles in words, ids of people and organisations as their names as they are now. Labels and words are
English msgids; the caller passes its `translate`, so pages and GraphQL say the same thing in either
language. Who acted is their name now, or "(removed user)" once the person was removed at their request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.models import AuditEntry
from server.platform.timeutil import SEOUL

Translate = Callable[[str], str]

# What kind of record an entry is about (the "what kind" filter of the log), in words.
RECORD_TYPES = {
    "Organization": "Organisation profile",
    "ClubMembership": "Club membership",
    "DeclarationSigning": "Declaration signing",
    "Partnership": "Partnership",
    "Commitment": "Commitment",
    "Claim": "Claim",
    "Service": "Service price",
    "Seminar": "Seminar",
    "Registration": "Registration",
    "Diagnosis": "Self-diagnosis",
    "Questionnaire": "Questionnaire",
    "Invitation": "Invitation",
    "User": "Account",
    "UserSession": "Session",
    "ApiToken": "API token",
    "PasswordReset": "Password reset",
    "OutgoingMail": "Mail",
    "Attention": "Payment needing attention",
    "PrivacyNotice": "Privacy notice",
    "RemovalRequest": "Removal request",
}

FIELD_LABELS: dict[str, str] = {
    "status": "Status",
    "budget": "Budget",
    "list_price": "List price",
    "sponsor_share": "Sponsor share",
    "sme_share": "SME share",
    "share_percent": "Share (%)",
    "capacity": "Capacity",
    "starts_at": "Starts",
    "venue": "Venue",
    "title": "Seminar title",
    "name": "Name",
    "name_ko": "Name (Korean)",
    "email": "E-mail",
    "contact_email": "Contact e-mail",
    "business_number": "Business registration number",
    "role": "Role",
    "organization": "Organisation",
    "sme": "SME",
    "user": "Person",
    "service": "Service",
    "services": "Services",
    "commitment": "Commitment",
    "tier": "Supplier tier",
    "reason": "Reason",
    "note": "Note",
    "method": "Payment method",
    "refund": "Refund",
    "contract_number": "Contract number",
    "contract_ends_on": "Contract ends on",
    "guard_period": "Guard period",
    "items": "Items",
    "signed_on": "Signed on",
    "signer_name": "Signer",
    "signer_title": "Signer's title",
    "text_version": "Text version",
    "pledges": "Pledges",
    "waitlist_position": "Waiting list position",
    "is_active": "Active",
    "shared": "Shared with sponsors",
    "level": "Level",
    "overall": "Overall score",
    "version": "Version",
    "days": "Valid for (days)",
    "ended": "Sessions ended",
    "joined_at": "Joined",
    "kind": "Kind",
    "resolved": "Resolved",
    "payment_intent": "Card payment",
    "first_representative_invited": "First representative invited",
    "sso": "Single sign-on",
    "organizations": "Organisations",
    "roles": "Roles",
    "anonymised": "Anonymised",
}
MONEY = {"budget", "list_price", "sponsor_share", "sme_share", "refund"}
PEOPLE = {"user"}
ORGANIZATIONS = {"organization", "sme", "organizations"}
WORDS = {
    "status",
    "role",
    "kind",
    "method",
    "level",
    "services",
}  # values that are msgids (statuses, roles...)
REMOVED_USER = "(removed user)"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Names:
    """Names as they are now, looked up once for a page of entries."""

    people: Mapping[int, str]  # removed people are absent, and read as REMOVED_USER
    organizations: Mapping[int, str]


@dataclass(frozen=True)
class ReadableEntry:
    id: int
    at: datetime
    who: str
    role: str
    organization: str
    what: str
    record_kind: str
    record_id: str
    changes: list[Change]


def won(amount: int, translate: Translate) -> str:
    return translate("₩%(amount)s") % {"amount": f"{amount:,}"}


def _moment(text: str) -> str | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) <= 10:
        return date.fromisoformat(text).isoformat()
    moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=SEOUL)
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def value_text(key: str, value: Any, names: Names, translate: Translate) -> str:
    """One value as people read it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return translate("yes") if value else translate("no")
    if isinstance(value, int) and key in MONEY:
        return won(value, translate)
    if isinstance(value, int) and key in PEOPLE:
        return names.people.get(value, translate(REMOVED_USER))
    if isinstance(value, int) and key in ORGANIZATIONS:
        return names.organizations.get(value, f"#{value}")
    if isinstance(value, list):
        return ", ".join(value_text(key, v, names, translate) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{translate(FIELD_LABELS.get(str(k), str(k)))}: {value_text(str(k), v, names, translate)}"
            for k, v in value.items()
        )
    if isinstance(value, str):
        moment = _moment(value) if value[:1].isdigit() and "-" in value else None
        return moment or (translate(value) if key in WORDS else value)
    return str(value)


def changes(entry: AuditEntry, names: Names, translate: Translate) -> list[Change]:
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            field=translate(FIELD_LABELS.get(key, key)),
            before=value_text(key, before[key], names, translate) if key in before else "",
            after=value_text(key, after[key], names, translate) if key in after else "",
        )
        for key in keys
    ]


def who(entry: AuditEntry, names: Names, translate: Translate) -> str:
    if entry.actor_id is None:
        return translate("system")
    return names.people.get(entry.actor_id, translate(REMOVED_USER))


def describe(entry: AuditEntry, names: Names, translate: Translate) -> ReadableEntry:
    return ReadableEntry(
        id=entry.id,
        at=entry.created_at.astimezone(SEOUL),
        who=who(entry, names, translate),
        role=translate(entry.role) if entry.role else "",
        organization=names.organizations.get(entry.organization_id, "") if entry.organization_id else "",
        what=translate(entry.action),
        record_kind=translate(RECORD_TYPES.get(entry.record_type, entry.record_type)),
        record_id=entry.record_id,
        changes=changes(entry, names, translate),
    )
