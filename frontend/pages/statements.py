"""Monthly sponsor statements: a printable page and a CSV download."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.i18n import gettext
from frontend.render import csv_download, form_id, render, require_page_actor
from server.membership import organizations
from server.models import PaymentMethod
from server.money import statements
from server.money.statements import SponsorStatement
from server.platform.actor import Actor
from server.platform.timeutil import in_seoul


async def _statement(request: Request, actor: Actor) -> SponsorStatement:
    params = request.query_params
    conglomerate = params.get("conglomerate", "")
    return await statements.sponsor_statement(
        actor,
        month=params.get("month"),
        conglomerate_id=form_id(conglomerate),
    )


async def statement_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    conglomerates: list[organizations.Conglomerate] = []
    if actor.is_secretariat:
        conglomerates = await organizations.conglomerate_choices()
        if not request.query_params.get("conglomerate"):
            return await render(request, "statements/choose.html", {"conglomerates": conglomerates})
    statement = await _statement(request, actor)
    return await render(
        request, "statements/statement.html", {"statement": statement, "conglomerates": conglomerates}
    )


PAID_BY = {
    PaymentMethod.CARD: "Card",
    PaymentMethod.TRANSFER: "Bank transfer",
    PaymentMethod.NONE: "Nothing to pay",
}


async def statement_csv(request: Request) -> Response:
    actor = await require_page_actor(request)
    statement = await _statement(request, actor)
    lines = [
        [
            in_seoul(line.at).strftime("%Y-%m-%d"),
            line.claim.id,
            line.claim.sme.name_ko,
            line.claim.sme.business_number or "",
            line.claim.service.name_ko,
            line.list_price,
            line.sponsor_share,
            line.sme_share,
            gettext("refund") if line.refund else gettext("capture"),
            gettext(PAID_BY[line.paid_by]),
        ]
        for line in statement.lines
    ]
    total = [
        gettext("Total"),
        *[""] * 4,
        statement.total_list_price,
        statement.total_sponsor_share,
        statement.total_sme_share,
        "",
        "",
    ]
    headings = (
        "Date",
        "Claim",
        "SME",
        "Business number",
        "Service",
        "List price",
        "Sponsor share",
        "SME share",
        "Entry",
        "Paid by",
    )
    organization = statement.conglomerate.business_number or statement.conglomerate.id
    return csv_download(f"statement-{organization}-{statement.month:%Y-%m}.csv", headings, [*lines, total])


def routes() -> list[Route]:
    return [Route("/statements", statement_page), Route("/statements.csv", statement_csv)]
