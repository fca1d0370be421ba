"""Sponsor statements: the month's captured and refunded sponsor shares, claim by claim."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.claims import ClaimNode
from schema.context import Info
from schema.organizations import OrganizationNode, node
from schema.scalars import Won
from server.models import PaymentMethod
from server.money import statements
from server.platform.timeutil import in_seoul


@strawberry.type
class StatementLine:
    claim: ClaimNode
    at: datetime.datetime = strawberry.field(
        description="When the sponsor share was captured or refunded (a ₩0 share: when the claim was paid or refunded)."
    )
    refund: bool
    list_price: Won = strawberry.field(description="Negative on a refund line.")
    sponsor_share: Won
    sme_share: Won
    paid_by: PaymentMethod = strawberry.field(description="How the SME paid its share.")


@strawberry.type
class SponsorStatement:
    conglomerate: OrganizationNode
    month: str
    lines: list[StatementLine]
    total_list_price: Won
    total_sponsor_share: Won
    total_sme_share: Won


def _statement(found: statements.SponsorStatement) -> SponsorStatement:
    return SponsorStatement(
        conglomerate=node(found.conglomerate),
        month=found.month.strftime("%Y-%m"),
        lines=[
            StatementLine(
                claim=cast(ClaimNode, line.claim),
                at=in_seoul(line.at),
                refund=line.refund,
                list_price=Won(line.list_price),
                sponsor_share=Won(line.sponsor_share),
                sme_share=Won(line.sme_share),
                paid_by=line.paid_by,
            )
            for line in found.lines
        ],
        total_list_price=Won(found.total_list_price),
        total_sponsor_share=Won(found.total_sponsor_share),
        total_sme_share=Won(found.total_sme_share),
    )


@strawberry.type
class StatementQueries:
    @strawberry.field(
        description="Captured and refunded sponsor shares of one month (YYYY-MM, Asia/Seoul; this month if "
        "left out). The secretariat names the conglomerate."
    )
    async def sponsor_statement(
        self, info: Info, month: str | None = None, conglomerate_id: int | None = None
    ) -> SponsorStatement:
        return _statement(
            await statements.sponsor_statement(
                info.context.actor, month=month, conglomerate_id=conglomerate_id
            )
        )
