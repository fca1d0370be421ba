"""The dashboard: what each role comes to do, first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontend.render import render, require_page_actor
from server import dashboard
from server.accounts import signin as accounts
from server.membership import applications
from server.money.claim_queries import claim_counts
from server.platform.readiness import readiness
from server.reports import dashboards


async def home(request: Request) -> Response:
    actor = await require_page_actor(request)
    roles = await accounts.roles_of(actor.user.id)
    claims = await claim_counts(actor)
    if actor.is_secretariat:
        context = {
            "figures": await dashboard.club_figures(actor),
            "claims": claims,
            "open_applications": await applications.open_count(actor),
            "money": await dashboards.club_money(actor),
            "month": await dashboards.club_month(actor),
        }
        return await render(request, "dashboard_secretariat.html", {**context, "roles": roles})
    overview = await dashboard.organization_overview(actor)
    protection = await dashboards.sme_protection(actor) if actor.is_sme_representative else None
    context = {"overview": overview, "roles": roles, "claims": claims, "protection": protection}
    return await render(request, "dashboard.html", context)


# What a newly accepted SME can do next; a feature still to come is linked once its page exists.
_NEXT_STEPS = (
    ("/diagnosis", "Take the self-diagnosis", "See where your technology protection stands, area by area."),
    (
        "/commitments",
        "Sponsored services",
        "Escrow and the online tech guard, paid in whole or in part by your sponsors.",
    ),
    (
        "/seminars",
        "Seminars",
        "Joint training on technology protection; register yourself and your colleagues.",
    ),
    ("/protection", "The protection desk", "Ask for help when you suspect a leak or theft of technology."),
)


async def welcome(request: Request) -> Response:
    """Where a newly accepted SME lands: what the club offers it, each with its page."""
    await require_page_actor(request)
    paths = {getattr(route, "path", None) for route in request.app.routes}
    steps = [step for step in _NEXT_STEPS if step[0] in paths]
    return await render(request, "welcome.html", {"steps": steps})


async def health(request: Request) -> Response:
    return Response("ok", media_type="text/plain")


async def ready(request: Request) -> Response:
    problem = await readiness()
    if problem:
        return JSONResponse({"status": "not ready", **problem}, status_code=503)
    return JSONResponse({"status": "ready"})


def routes() -> list[Route]:
    return [Route("/", home), Route("/welcome", welcome), Route("/healthz", health), Route("/readyz", ready)]
