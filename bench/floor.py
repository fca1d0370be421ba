"""The app plus one hand-written JSON endpoint: the coordinator's partner list, straight from the ORM.

It does what the GraphQL partner list does (50 partners, their SMEs and claim
figures) with no schema in between, as the floor the benchmark compares with.
Served by `uvicorn bench.floor:app --factory`; never part of the product.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.models import Partnership
from server.money.claim_queries import claim_summaries
from server.platform.policy import DiagnosisView, diagnosis_view
from web.app import create_app, tune_garbage_collection
from web.sessions import current_actor


async def partners_floor(request: Request) -> Response:
    actor = await current_actor(request)
    if actor is None or not actor.is_coordinator:
        return JSONResponse({"error": "unauthenticated"}, status_code=401)
    rows = (
        await Partnership.filter(conglomerate_id=actor.organization.id)
        .select_related("sme")
        .order_by("-id")
        .limit(50)
    )
    total = await Partnership.filter(conglomerate_id=actor.organization.id).count()
    summaries = await claim_summaries(actor.organization.id, [p.sme.id for p in rows])
    nodes = []
    for p in rows:
        summary = summaries.get(p.sme.id)
        nodes.append(
            {
                "id": p.id,
                "tier": p.tier.value,
                "status": p.status.value,
                "sme": {
                    "nameKo": p.sme.name_ko,
                    "businessNumber": p.sme.business_number,
                    "diagnosisLevel": p.sme.shared_diagnosis_level.value
                    if p.sme.shared_diagnosis_level
                    and diagnosis_view(actor, p.sme, p.status) == DiagnosisView.RESULTS
                    else None,
                },
                "claimSummary": {
                    "claims": summary.claims if summary else 0,
                    "open": summary.open if summary else 0,
                    "sponsorPaid": summary.sponsor_paid if summary else 0,
                },
            }
        )
    return JSONResponse({"totalCount": total, "nodes": nodes})


def app() -> Starlette:
    # BENCH_TELEMETRY=off leaves out request ids, the request log line and the metrics (their cost is measured).
    application = create_app(telemetry=os.environ.get("BENCH_TELEMETRY", "on") != "off")
    application.router.routes.insert(0, Route("/bench/partners", partners_floor))
    tune_garbage_collection()  # as `club serve` does
    return application
