"""Who may see and do what (PRODUCT.md section 6), in one place.

Services call these before they read or write. Visibility rules return query
filters so that a hidden record is simply absent, and an attempt to reach it
answers exactly like a record that does not exist. Every "who may see X" rule is
here and nowhere else: organisations, diagnoses (`diagnosis_view`), claims (and who
decides or pays one: `sponsor_scope`, `claimant_scope`), commitments and seminars.
A new kind of record gets its `visible_*` here, next to the others.
"""

from __future__ import annotations

from enum import IntEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from server.models import (
    Commitment,
    CommitmentStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    RoleKind,
    SeminarStatus,
    SupplierTier,
)
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, forbidden
from server.platform.standing import IN_GOOD_STANDING


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise DomainError.single(ErrorCode.UNAUTHENTICATED, "Please sign in.")
    return actor


def require_secretariat(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if not actor.is_secretariat:
        raise forbidden()
    return actor


def require_coordinator(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if not actor.is_coordinator:
        raise forbidden()
    return actor


def visible_organizations(actor: Actor) -> Q:
    """The secretariat sees every organisation; others their own and their partners."""
    if actor.is_secretariat:
        return Q()
    own = Q(id=actor.organization.id)
    live = [PartnershipStatus.INVITED, PartnershipStatus.ACTIVE, PartnershipStatus.ENDED]
    if actor.organization.kind == OrganizationKind.CONGLOMERATE:
        return own | Q(
            sponsor_partnerships__conglomerate_id=actor.organization.id,
            sponsor_partnerships__status__in=live,
        )
    if actor.organization.kind == OrganizationKind.SME:
        return own | Q(
            sme_partnerships__sme_id=actor.organization.id,
            sme_partnerships__status__in=live,
        )
    return own


def roles_for(kind: OrganizationKind) -> tuple[RoleKind, ...]:
    """The roles a person may hold in an organisation of this kind; the first is the one that manages it."""
    return {
        OrganizationKind.CONGLOMERATE: (RoleKind.COORDINATOR, RoleKind.STAFF),
        OrganizationKind.SME: (RoleKind.SME_REPRESENTATIVE, RoleKind.STAFF),
        OrganizationKind.SECRETARIAT: (RoleKind.SECRETARIAT,),
    }[kind]


# Staff take part (seminars, reading their company's pages) but manage nothing; every other role manages
# its own organisation: its people and its details.
MANAGING_ROLES = (RoleKind.COORDINATOR, RoleKind.SME_REPRESENTATIVE, RoleKind.SECRETARIAT)


def may_see_people(actor: Actor, organization_id: int) -> bool:
    """Colleagues see each other; the secretariat sees everyone's."""
    return actor.is_secretariat or actor.organization.id == organization_id


def may_invite_to(actor: Actor, organization_id: int) -> bool:
    """The secretariat invites anyone anywhere; an organisation's managers invite colleagues to it."""
    return actor.is_secretariat or (actor.organization.id == organization_id and actor.role in MANAGING_ROLES)


def may_manage_organization(actor: Actor, organization_id: int) -> bool:
    """Who edits an organisation's details and its people's roles: the same as who invites to it."""
    return may_invite_to(actor, organization_id)


def may_use_api_tokens(actor: Actor) -> bool:
    """Tokens are for those who act for their organisation; a colleague on staff only takes part."""
    return actor.role in MANAGING_ROLES


def may_sign_declaration(actor: Actor, organization_id: int) -> bool:
    """A company signs for itself through its coordinator; the secretariat records paper signings."""
    return actor.is_secretariat or (actor.is_coordinator and actor.organization.id == organization_id)


class DiagnosisView(IntEnum):
    """How much of an SME's self-diagnosis one viewer may see."""

    NOTHING = 0  # not even that it took one
    TAKEN = 1  # that it took one, and when; no score, level, answers or advice
    RESULTS = 2


def diagnosis_view(actor: Actor, sme: Organization, partnership: PartnershipStatus | None) -> DiagnosisView:
    """THE rule for an SME's self-diagnosis data; every reader (pages, GraphQL, CSV, lists, aggregates) uses it.

    `partnership` is the status of the actor's conglomerate's partnership with the SME, None if there is
    none. The SME itself and the secretariat see everything. A sponsor sees results only through an ACTIVE
    partnership and only while the SME shares them; without sharing it learns only that a diagnosis was
    taken. An invited (never accepted) or ended partnership, or anyone else, learns nothing.
    Lists that filter or sort in the database use `sponsor_sees_results` (SQL: policy_sql); rows, `view_of`.
    """
    return view_of(actor, sme.id, sme.shares_diagnosis, partnership)


def view_of(actor: Actor, sme_id: int, shares: bool, partnership: PartnershipStatus | None) -> DiagnosisView:
    if actor.is_secretariat or actor.organization.id == sme_id:
        return DiagnosisView.RESULTS
    if not actor.is_coordinator or partnership != PartnershipStatus.ACTIVE:
        return DiagnosisView.NOTHING
    return DiagnosisView.RESULTS if shares else DiagnosisView.TAKEN


def sponsor_sees_results() -> Q:
    """`diagnosis_view` == RESULTS as a filter on the acting coordinator's own partnerships."""
    return Q(status=PartnershipStatus.ACTIVE, sme__shares_diagnosis=True)


def visible_claims(actor: Actor) -> Q:
    if actor.is_secretariat:
        return Q()
    if actor.is_coordinator:
        return Q(commitment__conglomerate_id=actor.organization.id)
    if actor.is_sme_representative:
        return Q(sme_id=actor.organization.id)
    return Q(id__in=[])


def sponsor_scope(actor: Actor) -> Q:
    """Only the sponsoring conglomerate's coordinators decide; the secretariat does not decide for them."""
    return Q(commitment__conglomerate_id=actor.organization.id) if actor.is_coordinator else Q(id__in=[])


def claimant_scope(actor: Actor) -> Q:
    return Q(sme_id=actor.organization.id) if actor.is_sme_representative else Q(id__in=[])


async def eligible_commitments(sme_id: int) -> Q | None:
    """Active commitments an SME may claim under: its active sponsors' in good standing, for its tier there."""
    partnerships = await Partnership.filter(
        sme_id=sme_id,
        status=PartnershipStatus.ACTIVE,
        conglomerate__membership__status__in=IN_GOOD_STANDING,
    ).values_list("conglomerate_id", "tier")
    if not partnerships:
        return None
    condition = Q()
    for conglomerate_id, tier in partnerships:
        tier_flag = "eligible_tier_1" if tier == SupplierTier.FIRST else "eligible_tier_2"
        condition |= Q(**{"conglomerate_id": conglomerate_id, tier_flag: True})
    return condition & Q(status=CommitmentStatus.ACTIVE)


async def visible_commitments(actor: Actor) -> QuerySet[Commitment]:
    """Coordinators see their own; SMEs the ones they are eligible for; the secretariat all."""
    if actor.is_secretariat:
        return Commitment.all()
    if actor.is_coordinator:
        return Commitment.filter(conglomerate_id=actor.organization.id)
    if actor.is_sme_representative:
        eligible = await eligible_commitments(actor.organization.id)
        if eligible is not None:
            return Commitment.filter(eligible)
    return Commitment.filter(id__in=[])


def visible_seminars(actor: Actor) -> Q:
    """Drafts are the secretariat's; everything else is the club's programme."""
    return Q() if actor.is_secretariat else Q(status__not=SeminarStatus.DRAFT)


def visible_protection_cases(actor: Actor) -> Q:
    """THE rule for the protection desk's cases, their timeline, evidence and readers.

    Its SME's representatives and the secretariat see a case. No conglomerate does, sponsor or not (the
    suspected party may be one), except the one sponsor the SME shares it with, while their partnership is
    active. Anyone else gets "not found", exactly as for an id that does not exist, and no count includes
    a case they cannot see.
    """
    if actor.is_secretariat:
        return Q()
    if actor.is_sme_representative:
        return Q(sme_id=actor.organization.id)
    if actor.is_coordinator:
        return Q(
            shared_with_id=actor.organization.id,
            sme__sponsor_partnerships__conglomerate_id=actor.organization.id,
            sme__sponsor_partnerships__status=PartnershipStatus.ACTIVE,
        )
    return Q(id__in=[])


def works_cases(actor: Actor) -> bool:
    """The secretariat's case handlers work cases: assign, refer, close, write internal notes."""
    return actor.is_secretariat


def sees_internal_notes(actor: Actor) -> bool:
    return actor.is_secretariat


def owns_case(actor: Actor, sme_id: int) -> bool:
    """The SME's own representatives open, share, add evidence and cite deposits."""
    return actor.is_sme_representative and actor.organization.id == sme_id


def visible_deposits(actor: Actor) -> Q:
    """An SME's escrow deposits (certificate, file names): the SME and the secretariat only."""
    if actor.is_secretariat:
        return Q()
    if actor.is_sme_representative:
        return Q(sme_id=actor.organization.id)
    return Q(id__in=[])


def visible_audit_entries(actor: Actor) -> Q:
    """The club-wide log is the secretariat's; a coordinator or an SME sees its own organisation's log:
    what its people did, and what was done to the organisation itself."""
    if actor.is_secretariat:
        return Q()
    own = actor.organization.id
    return Q(organization_id=own) | Q(record_type="Organization", record_id=str(own))


def sees_history(actor: Actor, *owner_ids: int) -> bool:
    """A record's history (every entry about it, whoever acted) is for the secretariat and the
    organisations the record belongs to: both sides of a claim or a partnership, the sponsor of a
    commitment, the organisation itself, a registration's organisation. A seminar has no owner here:
    its history is the secretariat's. Callers first fetch the record through its own `visible_*` rule."""
    return actor.is_secretariat or actor.organization.id in owner_ids


def report_conglomerates(actor: Actor) -> Q:
    """Whose figures a report shows line by line: the secretariat every conglomerate's, a coordinator only
    its own conglomerate's. Club totals are the club's and shown to both; diagnosis figures in them follow
    `diagnosis_view` (a sponsor's line counts only partners that share their results with it)."""
    if actor.is_secretariat:
        return Q(kind=OrganizationKind.CONGLOMERATE)
    if actor.is_coordinator:
        return Q(kind=OrganizationKind.CONGLOMERATE, id=actor.organization.id)
    return Q(id__in=[])
