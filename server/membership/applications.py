"""Applying to join the club from the public site, and the secretariat's decision on an application.

Locks: the application row, then (on admission) the new organisation's rows; nothing else is held.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.accounts import throttle
from server.accounts.signin import normalize_email
from server.membership.business_number import normalize
from server.membership.business_number import problem as number_problem
from server.membership.invitations import invite_user, valid_email
from server.models import (
    ApplicationStatus,
    ClubMembership,
    MembershipApplication,
    MembershipStatus,
    Organization,
    OrganizationKind,
    RoleKind,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.outbox import queue_mail
from server.platform.pagination import Page, paginate
from server.platform.policy import require_secretariat
from server.platform.timeutil import now

ALREADY_OPEN = "An application for this business registration number is already being considered."
ALREADY_REGISTERED = (
    "A company with this business registration number is already registered with the club: "
    "please contact the secretariat."
)


@dataclass(frozen=True)
class ApplicationForm:
    """What the public form and `applyForMembership` take; lengths are checked by the model's columns."""

    name_ko: str
    business_number: str
    contact_name: str
    contact_email: str
    signer_name: str
    name_en: str = ""
    sector: str = ""
    representative_name: str = ""
    address: str = ""
    contact_phone: str = ""
    signer_title: str = ""


def _checked(form: ApplicationForm) -> tuple[str, str]:
    """The business number and e-mail as stored; every missing or malformed field refused together."""
    errors = ErrorCollector()
    for field, value, message in (
        ("nameKo", form.name_ko, "Enter the Korean name."),
        ("contactName", form.contact_name, "Enter the contact person's name."),
        ("signerName", form.signer_name, "Enter who will sign the declaration."),
    ):
        if not value.strip():
            errors.add(ErrorCode.REQUIRED, field, message)
    number = normalize(form.business_number)
    if number is None:
        errors.add(
            ErrorCode.INVALID,
            "businessNumber",
            number_problem(form.business_number),
        )
    email = normalize_email(form.contact_email)
    if not valid_email(email):
        errors.add(ErrorCode.INVALID, "contactEmail", "Enter a valid e-mail address.")
    errors.raise_if_any()
    assert number is not None
    return number, email


async def apply_for_membership(form: ApplicationForm, *, client: str) -> MembershipApplication:
    """Anyone may apply (no sign-in); one open application per business number; the applicant gets a receipt.
    `client` is the address applying: it may apply only so often (each receipt is a mail it addressed)."""
    number, email = _checked(form)
    await throttle.limit_anonymous("membership_application", client)
    if await Organization.exists(business_number=number):
        raise DomainError.single(ErrorCode.DUPLICATE, ALREADY_REGISTERED, "businessNumber")
    try:
        async with in_transaction():
            application = await MembershipApplication.create(
                name_ko=form.name_ko.strip(),
                name_en=form.name_en.strip(),
                business_number=number,
                open_number=number,
                sector=form.sector.strip(),
                representative_name=form.representative_name.strip(),
                address=form.address.strip(),
                contact_name=form.contact_name.strip(),
                contact_email=email,
                contact_phone=form.contact_phone.strip(),
                signer_name=form.signer_name.strip(),
                signer_title=form.signer_title.strip(),
            )
            await audit.record(
                "membership_application.submit",
                application,
                after={"business_number": number, "name_ko": application.name_ko, "contact_email": email},
            )
            await queue_mail(email, "membership_application_received", application=application)
    except IntegrityError as exc:
        raise DomainError.single(ErrorCode.DUPLICATE, ALREADY_OPEN, "businessNumber") from exc
    return application


async def list_applications(
    actor: Actor | None,
    *,
    status: ApplicationStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[MembershipApplication]:
    """The secretariat's list, newest first."""
    require_secretariat(actor)
    query = MembershipApplication.all()
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)


async def open_count(actor: Actor | None) -> int:
    """How many applications wait for a decision, for the secretariat's dashboard."""
    require_secretariat(actor)
    return await MembershipApplication.filter(status=ApplicationStatus.OPEN).count()


async def get_application(actor: Actor | None, application_id: int) -> MembershipApplication:
    require_secretariat(actor)
    application = await MembershipApplication.get_or_none(id=application_id)
    if application is None:
        raise not_found("application")
    return application


async def decide_membership_application(
    *, actor: Actor | None, application_id: int, admit: bool, reason: str = ""
) -> MembershipApplication:
    """Admit (the company, its active membership and an invitation for its contact to coordinate) or decline.

    A decline gives its reason; the applicant hears either way.
    """
    actor = require_secretariat(actor)
    if not admit and not reason.strip():
        raise DomainError.single(ErrorCode.REQUIRED, "Give the reason for declining.", "reason")
    try:
        async with in_transaction():
            application = await MembershipApplication.filter(id=application_id).select_for_update().first()
            if application is None:
                raise not_found("application")
            if application.status != ApplicationStatus.OPEN:
                raise DomainError.single(
                    ErrorCode.INVALID_STATE, "This application has already been decided."
                )
            application.status = ApplicationStatus.ADMITTED if admit else ApplicationStatus.DECLINED
            application.open_number = None
            application.reason = reason.strip()
            application.decided_at = now()
            application.decided_by = actor.user
            if admit:
                application.organization = await _admit(actor, application)
            await application.save()
            await audit.record(
                f"membership_application.{'admit' if admit else 'decline'}",
                application,
                actor=actor,
                before={"status": ApplicationStatus.OPEN.value},
                after={
                    "status": application.status.value,
                    "reason": application.reason,
                    "organization": application.organization_id,
                },
            )
            outcome = "admitted" if admit else "declined"
            await queue_mail(
                application.contact_email, f"membership_application_{outcome}", application=application
            )
    except IntegrityError as exc:
        # The company was registered by other means since it applied.
        raise DomainError.single(ErrorCode.DUPLICATE, ALREADY_REGISTERED, "businessNumber") from exc
    return application


async def _admit(actor: Actor, application: MembershipApplication) -> Organization:
    organization = await Organization.create(
        kind=OrganizationKind.CONGLOMERATE,
        name_ko=application.name_ko,
        name_en=application.name_en or None,
        business_number=application.business_number,
        sector=application.sector,
        representative_name=application.representative_name,
        address=application.address,
        contact_name=application.contact_name,
        contact_email=application.contact_email,
        contact_phone=application.contact_phone,
    )
    await ClubMembership.create(organization=organization, status=MembershipStatus.ACTIVE, admitted_at=now())
    await audit.record(
        "organization.create",
        organization,
        actor=actor,
        after={"kind": "conglomerate", "name_ko": organization.name_ko, "application": application.id},
    )
    # The invitation's own mail carries the link for the contact to become the first coordinator.
    await invite_user(
        actor=actor,
        email=application.contact_email,
        organization_id=organization.id,
        role=RoleKind.COORDINATOR,
    )
    return organization
