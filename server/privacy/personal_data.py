"""Everything the club holds about the person asking (PIPA: the right to see one's data), as one document.

Sessions come without their secrets (only the digest is stored anyway), mails with their subject and dates
(secret links hidden), the audit trail in words. The same document is the JSON download, the readable page
and `myPersonalData`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from server.models import (
    ApiToken,
    AuditEntry,
    Claim,
    OutgoingMail,
    Registration,
    Role,
    User,
    UserSession,
)
from server.platform.actor import Actor
from server.platform.audit_trail import readable
from server.platform.audit_words import Translate
from server.platform.policy import require_actor
from server.platform.redaction import redact
from server.platform.timeutil import SEOUL

LIMIT = 1000  # per section; a person with more (of audit entries) gets the newest


def _at(moment: datetime | None) -> str | None:
    return moment.astimezone(SEOUL).isoformat() if moment else None


async def personal_data(actor: Actor | None, translate: Translate) -> dict[str, Any]:
    actor = require_actor(actor)
    user = await User.get(id=actor.user.id)
    roles = await Role.filter(user_id=user.id).select_related("organization").order_by("id")
    sessions = (
        await UserSession.filter(user_id=user.id).select_related("organization").order_by("-id").limit(LIMIT)
    )
    tokens = await ApiToken.filter(user_id=user.id).order_by("-id").limit(LIMIT)
    registrations = (
        await Registration.filter(user_id=user.id).select_related("seminar").order_by("-id").limit(LIMIT)
    )
    claims = (
        await Claim.filter(submitted_by_id=user.id)
        .select_related("service", "sme")
        .order_by("-id")
        .limit(LIMIT)
    )
    about = Q(actor_id=user.id) | Q(record_type="User", record_id=str(user.id))
    entries = await AuditEntry.filter(about).order_by("-id").limit(LIMIT)
    mails = await OutgoingMail.filter(recipient__iexact=user.email).order_by("-id").limit(LIMIT)
    return {
        "account": {
            "name": user.name,
            "email": user.email,
            "created_at": _at(user.created_at),
            "last_login_at": _at(user.last_login_at),
            "is_active": user.is_active,
            "single_sign_on": user.oidc_subject is not None,
            "privacy_notice_version": user.privacy_notice_version,
            "privacy_notice_accepted_at": _at(user.privacy_notice_accepted_at),
        },
        "memberships": [
            {
                "organization": r.organization.name_ko,
                "role": translate(r.kind.value),
                "since": _at(r.created_at),
            }
            for r in roles
        ],
        "sessions": [
            {
                "organization": s.organization.name_ko,
                "started_at": _at(s.created_at),
                "last_seen_at": _at(s.last_seen_at),
                "ended_at": _at(s.revoked_at),
                "browser": s.user_agent,
                "address": s.client_address,
            }
            for s in sessions
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": _at(t.created_at),
                "expires_at": _at(t.expires_at),
                "revoked_at": _at(t.revoked_at),
            }
            for t in tokens
        ],
        "registrations": [
            {
                "seminar": r.seminar.title_ko,
                "starts_at": _at(r.seminar.starts_at),
                "status": translate(r.status.value),
                "registered_at": _at(r.registered_at),
            }
            for r in registrations
        ],
        "claims_submitted": [
            {
                "id": c.id,
                "sme": c.sme.name_ko,
                "service": c.service.name_ko,
                "status": translate(c.status.value),
                "submitted_at": _at(c.submitted_at),
                "details": c.details,
            }
            for c in claims
        ],
        "audit_entries": [
            {
                "at": e.at.isoformat(),
                "who": e.who,
                "what": e.what,
                "record": f"{e.record_kind} #{e.record_id}",
                "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in e.changes],
            }
            for e in await readable(entries, translate)
        ],
        "mails": [
            {"subject": redact(m.subject), "created_at": _at(m.created_at), "sent_at": _at(m.sent_at)}
            for m in mails
        ],
    }
