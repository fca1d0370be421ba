"""A member conglomerate proposes to co-host a seminar; the secretariat accepts (it joins the co-hosts) or
declines with a reason. Locks: the seminar row, then the proposal."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.models import CoHostingProposal, CoHostingStatus, Organization, Seminar, SeminarStatus, User
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.outbox import queue_mail
from server.platform.pagination import Page, paginate
from server.platform.policy import require_coordinator, require_secretariat, visible_seminars
from server.platform.standing import require_member_in_good_standing
from server.platform.timeutil import now
from server.seminars.schedule import locked_seminar


async def propose_cohosting(*, actor: Actor | None, seminar_id: int, note: str = "") -> CoHostingProposal:
    """A coordinator offers its company as co-host of a draft or published seminar; one open offer at a time."""
    actor = require_coordinator(actor)
    await require_member_in_good_standing(actor.organization.id)
    if not await Seminar.filter(visible_seminars(actor), id=seminar_id).exists():
        raise not_found("seminar")
    async with in_transaction():
        seminar = await locked_seminar(seminar_id)
        if seminar.status not in (SeminarStatus.DRAFT, SeminarStatus.PUBLISHED):
            raise DomainError.single(ErrorCode.INVALID_STATE, "This seminar is over or cancelled.")
        if await seminar.co_hosts.filter(id=actor.organization.id).exists():
            raise DomainError.single(ErrorCode.DUPLICATE, "Your company already co-hosts this seminar.")
        if await CoHostingProposal.exists(
            seminar_id=seminar_id, conglomerate_id=actor.organization.id, status=CoHostingStatus.PROPOSED
        ):
            raise DomainError.single(
                ErrorCode.DUPLICATE, "Your company's proposal is waiting for the secretariat."
            )
        proposal = await CoHostingProposal.create(
            seminar=seminar, conglomerate_id=actor.organization.id, note=note.strip(), proposed_by=actor.user
        )
        await audit.record("cohosting.propose", proposal, actor=actor, after={"seminar": seminar_id})
    return proposal


async def decide_cohosting(
    *, actor: Actor | None, proposal_id: int, accept: bool, reason: str = ""
) -> CoHostingProposal:
    """The secretariat accepts (the company joins the seminar's co-hosts) or declines with a reason; the
    proposer hears either way."""
    actor = require_secretariat(actor)
    if not accept and not reason.strip():
        raise DomainError.single(ErrorCode.REQUIRED, "Give the reason for declining.", "reason")
    found = await CoHostingProposal.get_or_none(id=proposal_id)
    if found is None:
        raise not_found("proposal")
    async with in_transaction():
        seminar = await locked_seminar(found.seminar_id)
        proposal = await CoHostingProposal.filter(id=proposal_id).select_for_update().get()
        if proposal.status != CoHostingStatus.PROPOSED:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This proposal has already been decided.")
        proposal.status = CoHostingStatus.ACCEPTED if accept else CoHostingStatus.DECLINED
        proposal.reason = reason.strip()
        proposal.decided_at = now()
        await proposal.save(update_fields=["status", "reason", "decided_at"])
        conglomerate = await Organization.get(id=proposal.conglomerate_id)
        if accept:
            await seminar.co_hosts.add(conglomerate)
        await audit.record(
            f"cohosting.{'accept' if accept else 'decline'}",
            proposal,
            actor=actor,
            before={"status": "proposed"},
            after={"status": proposal.status.value, "reason": proposal.reason},
        )
        proposer = await User.get_or_none(id=proposal.proposed_by_id) if proposal.proposed_by_id else None
        if proposer is not None:
            await queue_mail(
                proposer.email,
                "cohosting_decided",
                seminar=seminar,
                proposal=proposal,
                conglomerate=conglomerate,
            )
    return proposal


async def cohosting_proposals(
    actor: Actor | None,
    *,
    status: CoHostingStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[CoHostingProposal]:
    """The secretariat sees every proposal; a coordinator its own company's."""
    actor = require_coordinator(actor) if not (actor and actor.is_secretariat) else actor
    query = CoHostingProposal.all().select_related("seminar", "conglomerate")
    if not actor.is_secretariat:
        query = query.filter(conglomerate_id=actor.organization.id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)
