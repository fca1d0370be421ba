"""Removal at a person's request (PIPA): they ask, the secretariat completes it.

Completing deactivates the account, ends its sessions and tokens, takes the person out of their
organisations, and anonymises them wherever records must stay: claims, the ledger and the audit trail keep
the role and the organisation, never the name or e-mail (`erasure.erase_person`). Mails to them keep their
date and subject, not their body, and are no longer tried.

The last member of an organisation: removing them leaves nobody who can act for it (and an SME without
members can again be claimed by a first-representative invitation). The secretariat must confirm it knows
(`last_member_confirmed`), so that it arranges a successor; the person's right to erasure is not refused.

Locks, in this order: the removal request, then the person's user row.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.accounts.sessions import end_everything_of
from server.models import (
    ApiToken,
    Invitation,
    MailStatus,
    OutgoingMail,
    PasswordReset,
    RemovalRequest,
    RemovalStatus,
    Role,
    SignInThrottle,
    User,
    UserSession,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_actor, require_secretariat
from server.platform.timeutil import now
from server.privacy.erasure import REMOVED_NAME, erase_person, removed_email


async def request_account_removal(*, actor: Actor | None) -> RemovalRequest:
    """The signed-in person asks to be removed (after the page's confirmation); asking again changes nothing."""
    actor = require_actor(actor)
    async with in_transaction():
        await User.filter(id=actor.user.id).select_for_update().first()
        open_request = await RemovalRequest.filter(
            user_id=actor.user.id, status=RemovalStatus.REQUESTED
        ).first()
        if open_request is not None:
            return open_request
        request = await RemovalRequest.create(user_id=actor.user.id)
        await audit.record("privacy.request_removal", request, actor=actor)
    return request


async def my_removal_request(actor: Actor | None) -> RemovalRequest | None:
    actor = require_actor(actor)
    return await RemovalRequest.filter(user_id=actor.user.id, status=RemovalStatus.REQUESTED).first()


async def removal_requests(
    actor: Actor | None,
    *,
    status: RemovalStatus | None = RemovalStatus.REQUESTED,
    first: int | None,
    after: str | None,
) -> Page[RemovalRequest]:
    """The secretariat's list, oldest waiting first."""
    require_secretariat(actor)
    query = RemovalRequest.all().select_related("user")
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after, order=("id",))


async def get_removal_request(actor: Actor | None, request_id: int) -> RemovalRequest:
    require_secretariat(actor)
    found = await RemovalRequest.get_or_none(id=request_id).select_related("user")
    if found is None:
        raise not_found("removal request")
    return found


async def last_member_of(user_id: int) -> list[str]:
    """Names of the organisations this person is the only member of."""
    roles = await Role.filter(user_id=user_id).select_related("organization")
    return [
        r.organization.name_ko
        for r in roles
        if await Role.filter(organization_id=r.organization_id).count() == 1
    ]


async def complete_account_removal(
    *, actor: Actor | None, request_id: int, last_member_confirmed: bool = False
) -> RemovalRequest:
    """The secretariat removes the person who asked; a second completion changes nothing."""
    actor = require_secretariat(actor)
    async with in_transaction():
        request = await RemovalRequest.filter(id=request_id).select_for_update().first()
        if request is None:
            raise not_found("removal request")
        if request.status == RemovalStatus.COMPLETED:
            return request
        if request.user_id == actor.user.id:
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "Another secretariat member completes your own removal."
            )
        user = await User.filter(id=request.user_id).select_for_update().get()
        alone_in = await last_member_of(user.id)
        if alone_in and not last_member_confirmed:
            raise DomainError.single(
                ErrorCode.INVALID_STATE,
                "This person is the last member of %(organizations)s: confirm that you will arrange a successor.",
                "last_member_confirmed",
                organizations=", ".join(alone_in),
            )
        email, name = user.email, user.name
        roles = await Role.filter(user_id=user.id).values_list("organization_id", "kind")
        await end_everything_of(user.id)
        for model in (Role, UserSession, ApiToken, PasswordReset):
            await model.filter(user_id=user.id).delete()
        await SignInThrottle.filter(key__icontains=email).delete()
        # Open invitations to them would let the mailed link reach the anonymised account.
        await Invitation.filter(email__iexact=email, accepted_at=None).delete()
        await OutgoingMail.filter(
            recipient__iexact=email, status__in=(MailStatus.PENDING, MailStatus.FAILED)
        ).update(status=MailStatus.GIVEN_UP, given_up_at=now())
        await OutgoingMail.filter(recipient__iexact=email).update(recipient=removed_email(user.id), body="")
        await User.filter(id=user.id).update(
            email=removed_email(user.id),
            name=REMOVED_NAME,
            password_hash=None,
            oidc_subject=None,
            calendar_token=None,
            is_active=False,
            removed_at=now(),
        )
        anonymised = await erase_person(user.id, email, name)
        await audit.record(
            "privacy.complete_removal",
            request,
            actor=actor,
            after={
                "organizations": [o for o, _ in roles],
                "roles": sorted({str(k) for _, k in roles}),
                "anonymised": ["user.email", "user.name", *anonymised],
            },
        )
        request.status = RemovalStatus.COMPLETED
        request.completed_at = now()
        request.completed_by = actor.user
        await request.save(update_fields=["status", "completed_at", "completed_by_id"])
    return request
