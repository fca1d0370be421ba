"""The dashboard: what each role comes to do, first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontend.render import render, require_page_actor
from server import dashboard
from server.accounts import signin as accounts
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
            "money": await dashboards.club_money(actor),
            "month": await dashboards.club_month(actor),
        }
        return await render(request, "dashboard_secretariat.html", {**context, "roles": roles})
    overview = await dashboard.organization_overview(actor)
    protection = await dashboards.sme_protection(actor) if actor.is_sme_representative else None
    context = {"overview": overview, "roles": roles, "claims": claims, "protection": protection}
    return await render(request, "dashboard.html", context)


async def health(request: Request) -> Response:
    return Response("ok", media_type="text/plain")


async def ready(request: Request) -> Response:
    problem = await readiness()
    if problem:
        return JSONResponse({"status": "not ready", **problem}, status_code=503)
    return JSONResponse({"status": "ready"})


def routes() -> list[Route]:
    return [Route("/", home), Route("/healthz", health), Route("/readyz", ready)]
