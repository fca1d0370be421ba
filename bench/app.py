"""The app as the benchmark serves it: no periodic jobs, plus the two hand-written partner lists.

`/bench/partners` is bench/floor.py's ORM floor, kept exactly as it was; `/bench/partners-fast` is the
"fast floor": the same JSON from two raw statements on Tortoise's own connection (the session's actor;
page, total and claim figures together, the SMEs taken from the page), no GraphQL, no models. Every
run shows the GraphQL and page throughput against both. Served by `uvicorn bench.app:app --factory`.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tortoise import connections

from bench.floor import partners_floor
from server.platform.config import settings
from server.platform.timeutil import now
from server.platform.tokens import digest
from web.app import create_app, tune_garbage_collection
from web.sessions import SESSION_KEY

ACTOR = """SELECT s.organization_id, o.kind, r.kind AS role FROM user_session s
  JOIN "user" u ON u.id = s.user_id JOIN organization o ON o.id = s.organization_id
  JOIN role r ON r.user_id = s.user_id AND r.organization_id = s.organization_id
  WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.last_seen_at > $2 AND s.created_at > $3
    AND u.is_active"""
PAGE = """WITH page AS (
  SELECT p.id, p.tier, p.status, p.sme_id, o.name_ko, o.business_number, o.shares_diagnosis,
    o.shared_diagnosis_level
  FROM partnership p JOIN organization o ON o.id = p.sme_id
  WHERE p.conglomerate_id = $1 ORDER BY p.id DESC LIMIT 50
), figures AS (
  SELECT c.sme_id, COUNT(*) AS claims,
    SUM(CASE WHEN c.status IN ('submitted', 'approved') THEN 1 ELSE 0 END) AS open_claims,
    SUM(CASE WHEN c.status IN ('paid', 'fulfilled') THEN COALESCE(c.sponsor_share, 0) ELSE 0 END) AS paid
  FROM claim c JOIN commitment m ON m.id = c.commitment_id
  WHERE c.sme_id IN (SELECT sme_id FROM page) AND m.conglomerate_id = $1 GROUP BY c.sme_id
)
SELECT page.*, f.claims, f.open_claims, f.paid,
  (SELECT COUNT(*) FROM partnership WHERE conglomerate_id = $1) AS total
FROM page LEFT JOIN figures f ON f.sme_id = page.sme_id ORDER BY page.id DESC"""


async def partners_fast(request: Request) -> Response:
    connection = connections.get("default")
    secret = request.session.get(SESSION_KEY)
    at = now()
    limits = settings()
    found = (
        await connection.execute_query_dict(
            ACTOR, [digest(secret), at - limits.session_idle, at - limits.session_lifetime]
        )
        if isinstance(secret, str)
        else []
    )
    if not found or found[0]["role"] != "coordinator" or found[0]["kind"] != "conglomerate":
        return JSONResponse({"error": "unauthenticated"}, status_code=401)
    rows = await connection.execute_query_dict(PAGE, [found[0]["organization_id"]])
    nodes: list[dict[str, Any]] = [
        {
            "id": r["id"],
            "tier": r["tier"],
            "status": r["status"],
            "sme": {
                "nameKo": r["name_ko"],
                "businessNumber": r["business_number"],
                "diagnosisLevel": r["shared_diagnosis_level"]
                if r["status"] == "active" and r["shares_diagnosis"]
                else None,
            },
            "claimSummary": {
                "claims": r["claims"] or 0,
                "open": int(r["open_claims"] or 0),  # SUM of integers is numeric in PostgreSQL
                "sponsorPaid": int(r["paid"] or 0),
            },
        }
        for r in rows
    ]
    return JSONResponse({"totalCount": rows[0]["total"] if rows else 0, "nodes": nodes})


def app() -> Starlette:
    application = create_app(run_workers=False)  # periodic jobs would run in the middle of measurements
    application.router.routes.insert(0, Route("/bench/partners", partners_floor))
    application.router.routes.insert(0, Route("/bench/partners-fast", partners_fast))
    tune_garbage_collection()  # as `club serve` does
    return application
