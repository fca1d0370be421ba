"""Registering colleagues for a seminar, and offers to co-host one with the secretariat's decision."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import (
    confirmed,
    form_id,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import members as people
from server.models import CoHostingStatus
from server.seminars import cohosting, colleagues, queries


async def _colleagues_form(request: Request, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    seminar = await queries.get_seminar(actor, request.path_params["seminar_id"])
    staff = await people.list_members(actor, actor.organization.id, first=100)
    context = {"seminar": seminar, "colleagues": staff.items if staff else [], "errors": errors}
    return await render(request, "seminars/colleagues.html", context, status_code=status_code)


async def colleagues_page(request: Request) -> Response:
    return await _colleagues_form(request, {})


async def _colleague_refused(request: Request, errors: dict[str, str]) -> Response:
    return await _colleagues_form(request, errors, status_code=400)


@shows_refusals(_colleague_refused)
async def register_colleague(request: Request) -> Response:
    actor = await require_page_actor(request)
    seminar_id = request.path_params["seminar_id"]
    form = await read_form(request)
    await colleagues.register_colleague_for_seminar(
        actor=actor,
        seminar_id=seminar_id,
        user_id=form_id(form.get("user_id")) if form.get("user_id") else None,
        name=str(form.get("name", "")),
        email=str(form.get("email", "")),
    )
    return redirect(f"/seminars/{seminar_id}/colleagues?registered=1")


async def propose(request: Request) -> Response:
    actor = await require_page_actor(request)
    seminar_id = request.path_params["seminar_id"]
    form = await read_form(request)
    await cohosting.propose_cohosting(actor=actor, seminar_id=seminar_id, note=str(form.get("note", "")))
    return redirect("/co-hosting")


async def _proposals(request: Request, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    status = (
        CoHostingStatus.PROPOSED if request.query_params.get("status", "proposed") == "proposed" else None
    )
    page = await cohosting.cohosting_proposals(
        actor, status=status, first=50, after=request.query_params.get("after")
    )
    return await render(
        request,
        "seminars/cohosting.html",
        {"page": page, "status": status, "errors": errors},
        status_code=status_code,
    )


async def proposals_page(request: Request) -> Response:
    return await _proposals(request, {})


async def _decision_refused(request: Request, errors: dict[str, str]) -> Response:
    return await _proposals(request, errors, status_code=400)


@shows_refusals(_decision_refused)
async def decide(request: Request) -> Response:
    """Declining asks first (the proposer is told the reason); accepting adds the co-host at once."""
    actor = await require_page_actor(request)
    form = await read_form(request)
    accept = form.get("decision") == "accept"
    reason = str(form.get("reason", ""))
    if not accept and reason.strip() and not confirmed(form):
        context = {"proposal_id": request.path_params["proposal_id"], "reason": reason}
        return await render(request, "seminars/confirm_decline.html", context)
    await cohosting.decide_cohosting(
        actor=actor, proposal_id=request.path_params["proposal_id"], accept=accept, reason=reason
    )
    return redirect("/co-hosting")


def routes() -> list[Route]:
    return [
        Route("/seminars/{seminar_id:int}/colleagues", colleagues_page, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/colleagues", register_colleague, methods=["POST"]),
        Route("/seminars/{seminar_id:int}/co-hosting", propose, methods=["POST"]),
        Route("/co-hosting", proposals_page, methods=["GET"]),
        Route("/co-hosting/{proposal_id:int}/decide", decide, methods=["POST"]),
    ]
