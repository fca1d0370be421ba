"""Inviting a person to an organisation with a role, and accepting by a one-time link."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.accounts import throttle
from server.accounts.passwords import MIN_LENGTH, hash_password_off_loop
from server.accounts.signin import normalize_email
from server.membership.organizations import get_organization
from server.models import (
    Invitation,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    Role,
    RoleKind,
    User,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, forbidden, not_found
from server.platform.outbox import queue_mail
from server.platform.policy import may_invite_to, require_actor, roles_for
from server.platform.timeutil import now
from server.platform.tokens import digest, new_secret
from server.privacy import notice

NO_LONGER_VALID = "This invitation is no longer valid. Ask for a new one."


def valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(local and at and "." in domain and " " not in email and len(email) <= 254)


async def invite_user(
    *,
    actor: Actor | None,
    email: str,
    organization_id: int,
    role: RoleKind,
) -> Invitation:
    actor = require_actor(actor)
    organization = await get_organization(actor, organization_id)
    if not may_invite_to(actor, organization.id):
        raise forbidden()
    email = normalize_email(email)
    errors = ErrorCollector()
    if not valid_email(email):
        errors.add(ErrorCode.INVALID, "email", "Enter a valid e-mail address.")
    if role not in roles_for(organization.kind):
        errors.add(ErrorCode.INVALID, "role", "This role does not exist in this kind of organisation.")
    errors.raise_if_any()
    if await Role.exists(user__email=email, organization_id=organization.id):
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This person already belongs to the organisation.", "email"
        )
    secret = new_secret()
    async with in_transaction():
        invitation = await Invitation.create(
            email=email,
            organization=organization,
            role=role,
            token_hash=digest(secret),
            invited_by=actor.user,
            expires_at=now() + timedelta(days=settings().invitation_days),
        )
        await audit.record(
            "invitation.create",
            invitation,
            actor=actor,
            after={"email": email, "organization": organization.id, "role": role.value},
        )
        await queue_mail(
            email,
            "invitation",
            organization=organization,
            inviter=actor.user,
            role=role,
            link=f"{settings().base_url}/invitations/{secret}",
            expires_at=invitation.expires_at,
        )
    return invitation


async def open_invitation(secret: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted."""
    invitation = (
        await Invitation.filter(token_hash=digest(secret))
        .select_related("organization", "partnership", "partnership__conglomerate")
        .first()
    )
    if invitation is None:
        raise not_found("invitation")
    if invitation.accepted_at is not None:
        raise DomainError.single(ErrorCode.ALREADY_USED, "This invitation has already been used.")
    if invitation.expires_at <= now():
        raise DomainError.single(ErrorCode.EXPIRED, "This invitation has expired. Ask for a new one.")
    await _still_entitled(invitation)
    return invitation


async def has_account(invitation: Invitation) -> bool:
    """Whether the invited address already signs in here (then accepting asks for no new password)."""
    user = await User.get_or_none(email=invitation.email)
    return user is not None and not await _unclaimed(user)


async def _unclaimed(user: User) -> bool:
    """A person a colleague registered for a seminar before they had an account: no password, no single
    sign-on, no organisation yet. Their invitation's link (sent to their address) is where they set one."""
    return user.password_hash is None and user.oidc_subject is None and not await Role.exists(user_id=user.id)


async def _still_entitled(invitation: Invitation) -> None:
    """An invitation is only as good as its issuer's right to add people to the organisation, now.

    A conglomerate's enrolment may make only the first representative of an SME nobody belongs to
    yet, while that enrolment waits for an answer; any other invitation needs an issuer who is still
    a member of the organisation or of the secretariat.
    """
    if invitation.partnership_id is not None:
        if await Role.exists(organization_id=invitation.organization_id):
            raise DomainError.single(
                ErrorCode.INVALID_STATE,
                "This company already has representatives on the platform: they answer the "
                "partnership request. Ask one of them to invite you.",
            )
        if not await Partnership.exists(
            id=invitation.partnership_id,
            status=PartnershipStatus.INVITED,
        ):
            raise DomainError.single(ErrorCode.INVALID_STATE, NO_LONGER_VALID)
        return
    issuer = Role.filter(
        Q(organization_id=invitation.organization_id)
        | Q(kind=RoleKind.SECRETARIAT, organization__kind=OrganizationKind.SECRETARIAT),
        user_id=invitation.invited_by_id,
        user__is_active=True,
    )
    if invitation.invited_by_id is None or not await issuer.exists():
        raise DomainError.single(ErrorCode.INVALID_STATE, NO_LONGER_VALID)


@dataclass(frozen=True)
class Acceptance:
    user: User
    actor: Actor
    partnership_id: int | None  # set for a partner invitation, whose decision comes next


async def _accept(invitation: Invitation, user: User) -> Actor:
    """Mark the invitation used (exactly once, even under a double click) and grant the role."""
    # Acceptances into one organisation take turns, so two first-representative links cannot both win.
    await Organization.filter(id=invitation.organization_id).select_for_update().first()
    await _still_entitled(invitation)
    used = await Invitation.filter(id=invitation.id, accepted_at=None).update(
        accepted_at=now(), accepted_by_id=user.id
    )
    if used != 1:
        raise DomainError.single(ErrorCode.ALREADY_USED, "This invitation has already been used.")
    role, _ = await Role.get_or_create(
        user=user, organization=invitation.organization, defaults={"kind": invitation.role}
    )
    actor = Actor(user=user, organization=invitation.organization, role=role.kind)
    await audit.record("invitation.accept", invitation, actor=actor, after={"role": role.kind.value})
    return actor


async def accept_invitation(
    secret: str, *, name: str, password: str, privacy_notice_version: int | None = None
) -> Acceptance:
    """A new person sets their name and password; a known person proves it with theirs. With the version
    of the privacy notice they were shown and accepted, that acceptance is recorded with the account."""
    invitation = await open_invitation(secret)
    user = await User.get_or_none(email=invitation.email)
    claims = user is not None and await _unclaimed(user)
    errors = ErrorCollector()
    if user is None or claims:
        if not name.strip():
            errors.add(ErrorCode.REQUIRED, "name", "Enter your name.")
        if len(password) < MIN_LENGTH:
            errors.add(
                ErrorCode.INVALID, "password", f"Use at least {MIN_LENGTH} characters for the password."
            )
    elif not await throttle.prove_password(user, password):
        errors.add(
            ErrorCode.INVALID_CREDENTIALS,
            "password",
            "You already have an account: enter its password to accept.",
        )
    errors.raise_if_any()
    password_hash = await hash_password_off_loop(password) if user is None or claims else None
    async with in_transaction():
        if user is not None and claims:
            user.name, user.password_hash = name.strip(), password_hash
            await user.save(update_fields=["name", "password_hash"])
        if user is None:
            user = await User.create(email=invitation.email, name=name.strip(), password_hash=password_hash)
            await audit.record("user.create", user, user=user, after={"email": user.email})
        if privacy_notice_version is not None:
            await notice.record_acceptance(user, privacy_notice_version)
        actor = await _accept(invitation, user)
    return Acceptance(user=user, actor=actor, partnership_id=invitation.partnership_id)


async def user_for_sso(subject: str, email: str | None, email_verified: bool, name: str) -> User:
    """Match a single sign-on identity to an invited person by verified e-mail.

    A person already known by this subject signs straight in. Otherwise the
    verified e-mail must belong to someone with a role, or to open invitations,
    which this sign-in accepts.
    """
    user = await User.get_or_none(oidc_subject=subject, is_active=True)
    if user is None:
        if not email or not email_verified:
            raise DomainError.single(
                ErrorCode.FORBIDDEN, "Your company account has no verified e-mail address."
            )
        email = normalize_email(email)
        async with in_transaction():
            user = await User.get_or_none(email=email)
            pending = await Invitation.filter(
                email=email, accepted_at=None, expires_at__gt=now()
            ).select_related("organization")
            if user is None and pending:
                user = await User.create(email=email, name=name or email, oidc_subject=subject)
                await audit.record("user.create", user, user=user, after={"email": email, "sso": True})
            if user is None or not user.is_active:
                raise DomainError.single(
                    ErrorCode.FORBIDDEN,
                    "No invitation was found for this e-mail address. Ask your coordinator.",
                )
            for invitation in pending:
                # One that no longer holds (its issuer left, the SME gained members) is simply not used.
                with contextlib.suppress(DomainError):
                    await _accept(invitation, user)
            if not await Role.exists(user_id=user.id):
                raise DomainError.single(
                    ErrorCode.FORBIDDEN,
                    "No invitation was found for this e-mail address. Ask your coordinator.",
                )
            user.oidc_subject = subject
            await user.save(update_fields=["oidc_subject"])
    user.last_login_at = now()
    await user.save(update_fields=["last_login_at"])
    return user


async def invitations_of(actor: Actor | None, organization_id: int) -> list[Invitation]:
    actor = require_actor(actor)
    if not may_invite_to(actor, organization_id):
        raise not_found("organization")
    return await Invitation.filter(organization_id=organization_id).order_by("-id").limit(100)
