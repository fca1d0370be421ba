"""Partner enrolment pages for coordinators, SME representatives and the secretariat."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from frontend.i18n import gettext, language_of, use_language
from frontend.pages import partner_imports
from frontend.pages.audit import history_section
from frontend.render import (
    confirmed,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import enrolment, partner_queries, partners
from server.membership.business_number import format_number
from server.membership.partner_queries import PartnerFilter, PartnerOrder
from server.membership.partner_rows import partner_rows
from server.models import PartnershipStatus, ProtectionLevel
from server.money.claim_queries import ClaimSummary
from server.platform.exports import SafeWriter
from server.platform.policy import diagnosis_view
from server.platform.timeutil import in_seoul

PAGE_SIZE = 50


def _filter(request: Request) -> tuple[PartnerFilter, PartnerOrder]:
    params = request.query_params
    tier = enrolment.parse_tier(params.get("tier", ""))
    status = PartnershipStatus(params["status"]) if params.get("status") in set(PartnershipStatus) else None
    order = PartnerOrder(params["order"]) if params.get("order") in set(PartnerOrder) else PartnerOrder.NEWEST
    level = ProtectionLevel(params["level"]) if params.get("level") in set(ProtectionLevel) else None
    return PartnerFilter(params.get("q") or None, tier, status, level), order


async def partner_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    where, order = _filter(request)
    page = await partner_rows(
        actor, where, order=order, first=PAGE_SIZE, after=request.query_params.get("after")
    )
    query = {k: v for k, v in request.query_params.items() if k != "after"}
    context = {
        "page": page,
        "total": page.total,
        "summaries": {p.sme_id: p.claims for p in page.items},
        "where": where,
        "order": order,
        "query": query,
        "orders": list(PartnerOrder),
        "statuses": list(PartnershipStatus),
        "levels": list(ProtectionLevel),
        "no_claims": ClaimSummary(),
        "views": {p.id: p.view for p in page.items},
    }
    return await render(request, "partners/list.html", context)


async def export_csv(request: Request) -> Response:
    actor = await require_page_actor(request)
    where, _ = _filter(request)
    language = language_of(request)
    batches = partner_queries.export_partners(actor, where)
    first_batch = await anext(batches)

    async def lines() -> AsyncIterator[str]:
        use_language(language)
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        # Excel reads Korean correctly only from UTF-8 with a byte-order mark.
        buffer.write("\ufeff")
        writer.writerow(
            [
                gettext(h)
                for h in (
                    "Business number",
                    "Company",
                    "English name",
                    "Tier",
                    "Status",
                    "Contact e-mail",
                    "Invited",
                    "Accepted",
                    "Ended",
                    "Reason",
                )
            ]
        )
        batch: list = first_batch
        while True:
            for p in batch:
                writer.writerow(
                    [
                        format_number(p.sme.business_number) if p.sme.business_number else "",
                        p.sme.name_ko,
                        p.sme.name_en or "",
                        p.tier.value,
                        gettext(p.status.value),
                        p.contact_email,
                        in_seoul(p.invited_at).strftime("%Y-%m-%d"),
                        in_seoul(p.accepted_at).strftime("%Y-%m-%d") if p.accepted_at else "",
                        in_seoul(p.ended_at).strftime("%Y-%m-%d") if p.ended_at else "",
                        p.end_reason,
                    ]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            try:
                batch = await anext(batches)
            except StopAsyncIteration:
                return

    headers = {"Content-Disposition": 'attachment; filename="partners.csv"'}
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


async def invite_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_coordinator:
        raise HTTPException(403)
    return await render(request, "partners/invite.html", {"form": {}})


_INVITE_FIELDS = ("business_number", "name_ko", "tier", "contact_email")


async def _invite_refused(request: Request, errors: dict[str, str]) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in _INVITE_FIELDS}
    return await render(request, "partners/invite.html", {"form": values, "errors": errors}, status_code=400)


@shows_refusals(_invite_refused)
async def invite(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    values = {k: str(form.get(k, "")) for k in _INVITE_FIELDS}
    partnership = await partners.invite_partner(
        actor=actor,
        business_number=values["business_number"],
        name_ko=values["name_ko"],
        tier=enrolment.parse_tier(values["tier"]),
        contact_email=values["contact_email"],
    )
    return redirect(f"/partners/{partnership.id}?invited=1")


async def _detail(request: Request, partnership_id: int, **extra: object) -> Response:
    actor = await require_page_actor(request)
    partnership = await partners.partner_of(actor, partnership_id)
    context = {
        "partnership": partnership,
        **await history_section(
            request, actor, [partnership], partnership.conglomerate_id, partnership.sme_id
        ),
        "open_claims": await partners.open_claims(partnership),
        "view": diagnosis_view(actor, partnership.sme, partnership.status).name,
        "first_representative_invited": await enrolment.awaits_first_representative(partnership.id),
        **extra,
    }
    return await render(
        request, "partners/detail.html", context, status_code=400 if extra.get("errors") else 200
    )


async def partner_detail(request: Request) -> Response:
    return await _detail(request, request.path_params["partnership_id"])


@shows_refusals(
    lambda request, errors: _detail(request, request.path_params["partnership_id"], errors=errors)
)
async def end(request: Request) -> Response:
    actor = await require_page_actor(request)
    partnership_id = request.path_params["partnership_id"]
    form = await read_form(request)
    reason = str(form.get("reason", ""))
    if not confirmed(form):
        partnership = await partners.partner_of(actor, partnership_id)
        partners.end_reason(reason)
        context = {
            "partnership": partnership,
            "reason": reason,
            "open_claims": await partners.open_claims(partnership),
            "view": diagnosis_view(actor, partnership.sme, partnership.status).name,
        }
        return await render(request, "partners/confirm_end.html", context)
    await partners.end_partnership(actor=actor, partnership_id=partnership_id, reason=reason)
    return redirect(f"/partners/{partnership_id}")


async def partnerships_page(request: Request, errors: dict[str, str] | None = None) -> Response:
    """The SME's sponsors and invitations, or the secretariat's totals; coordinators have /partners."""
    actor = await require_page_actor(request)
    if actor.is_coordinator:
        return redirect("/partners")
    if actor.is_secretariat:
        return await render(
            request, "partners/totals.html", {"totals": await partner_queries.partnership_totals(actor)}
        )
    rows = await partner_queries.partnerships_of_sme(actor)
    context = {"partnerships": rows, "errors": errors or {}}
    return await render(request, "partners/sme.html", context, status_code=400 if errors else 200)


async def _decision_refused(request: Request, errors: dict[str, str]) -> Response:
    """Mostly a colleague (or a second tap) answered first: the list shows how, and says why."""
    return await partnerships_page(request, errors)


@shows_refusals(_decision_refused)
async def decide(request: Request) -> Response:
    actor = await require_page_actor(request)
    partnership_id = request.path_params["partnership_id"]
    decision = request.path_params["decision"]
    if decision not in ("accept", "decline"):
        raise HTTPException(404)
    form = await read_form(request)
    if decision == "accept":
        await partners.accept_partnership(actor=actor, partnership_id=partnership_id)
    else:
        await partners.decline_partnership(
            actor=actor, partnership_id=partnership_id, reason=str(form.get("reason", ""))
        )
    return redirect("/partnerships")


def routes() -> list[Route]:
    return [
        Route("/partners", partner_list),
        Route("/partners/export.csv", export_csv),
        Route("/partners/invite", invite_page, methods=["GET"]),
        Route("/partners/invite", invite, methods=["POST"]),
        *partner_imports.routes(),
        Route("/partners/{partnership_id:int}", partner_detail),
        Route("/partners/{partnership_id:int}/end", end, methods=["POST"]),
        Route("/partnerships", partnerships_page),
        Route("/partnerships/{partnership_id:int}/{decision:str}", decide, methods=["POST"]),
    ]
