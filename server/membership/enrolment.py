"""Who an enrolment may reach: a conglomerate never adds people to another organisation.

Enrolling an SME that is new to the platform mails its contact the invitation
that makes the first representative. An SME that already has members (or whose
first representative another enrolment already invited) gets a partnership
request instead: its own members are mailed to answer it from their page, and
the contact the conglomerate typed only receives a notice, with no link that
could make its holder a member.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from server.models import Invitation, Organization, OutgoingMail, Partnership, Role, User
from server.platform.config import settings
from server.platform.outbox import compose_mail


async def may_invite_first_representative(
    conglomerate_id: int, sme_ids: Iterable[int], at: datetime
) -> set[int]:
    """Of these SMEs, those nobody belongs to and nobody else has invited a first representative to."""
    ids = list(sme_ids)
    # Tortoise's stubs type a flat values_list as tuples.
    staffed = cast(
        "set[int]",
        set(await Role.filter(organization_id__in=ids).distinct().values_list("organization_id", flat=True)),
    )
    pending = await Invitation.filter(
        organization_id__in=ids, accepted_at=None, expires_at__gt=at
    ).values_list("organization_id", "partnership__conglomerate_id")
    claimed = {sme for sme, by in pending if by != conglomerate_id}
    return {i for i in ids if i not in staffed and i not in claimed}


async def supersede_first_representative_links(partnership_ids: list[int], at: datetime) -> None:
    """A re-enrolment mails a fresh link; the one it replaces stops working."""
    await Invitation.filter(partnership_id__in=partnership_ids, accepted_at=None, expires_at__gt=at).update(
        expires_at=at
    )


async def request_mails(
    partnerships: list[Partnership], *, conglomerate: Organization, inviter: User
) -> list[OutgoingMail]:
    """The SMEs' own members are asked to answer; each contact who is not one of them is told."""
    members: dict[int, list[User]] = {}
    for role in await Role.filter(
        organization_id__in=[p.sme.id for p in partnerships], user__is_active=True
    ).select_related("user"):
        members.setdefault(role.organization_id, []).append(role.user)
    mails = []
    for partnership in partnerships:
        context = {
            "conglomerate": conglomerate,
            "sme": partnership.sme,
            "tier": partnership.tier.value,
            "inviter": inviter,
        }
        people = members.get(partnership.sme.id, [])
        for person in people:
            mails.append(
                compose_mail(
                    person.email, "partnership_request", link=f"{settings().base_url}/partnerships", **context
                )
            )
        if partnership.contact_email not in {p.email for p in people}:
            mails.append(compose_mail(partnership.contact_email, "partnership_request_notice", **context))
    return mails


async def awaits_first_representative(partnership_id: int) -> bool:
    """Whether this enrolment mailed a first-representative link that is still unused."""
    return await Invitation.exists(partnership_id=partnership_id, accepted_at=None)
