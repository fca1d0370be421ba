"""The audit trail's pages: the log (with filters and CSV) and the history section of each record page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.models import Model

from frontend.i18n import gettext
from frontend.render import csv_download, form_date, render, require_page_actor
from server.platform import audit_trail
from server.platform.actor import Actor
from server.platform.audit_trail import AuditFilter
from server.platform.audit_words import RECORD_TYPES
from server.platform.policy import sees_history

LOG_PAGE = 25
HISTORY_PAGE = 10
HEADINGS = ("When", "Who", "Role", "Organisation", "What", "Record", "Field", "Before", "After")


def _filter(request: Request) -> AuditFilter:
    params = request.query_params
    return AuditFilter(
        who=params.get("who", "")[:100],
        kind=params.get("kind", ""),
        since=form_date(params.get("since")),
        until=form_date(params.get("until")),
    )


async def log_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    chosen = _filter(request)
    page = await audit_trail.audit_log(actor, chosen, first=LOG_PAGE, after=request.query_params.get("after"))
    context = {
        "entries": await audit_trail.readable(page.items, gettext),
        "page": page,
        "chosen": chosen,
        "kinds": RECORD_TYPES,
        "query": request.url.query,
    }
    return await render(request, "audit/log.html", context)


async def log_csv(request: Request) -> Response:
    """One line per changed field (an entry without changes is one line), newest first."""
    actor = await require_page_actor(request)
    rows: list[list[object]] = []
    async for batch in audit_trail.log_entries(actor, _filter(request)):
        for entry in await audit_trail.readable(batch, gettext):
            where = [
                entry.at.strftime("%Y-%m-%d %H:%M"),
                entry.who,
                entry.role,
                entry.organization,
                entry.what,
            ]
            record = f"{entry.record_kind} #{entry.record_id}"
            changes = [(c.field, c.before, c.after) for c in entry.changes] or [("", "", "")]
            rows.extend([*where, record, *change] for change in changes)
    return csv_download("audit-log.csv", HEADINGS, rows)


async def history_section(
    request: Request, actor: Actor, records: list[Model], *owner_ids: int
) -> dict[str, Any]:
    """The context of `_history.html` for a record page: its latest entries, paged by `history_after`."""
    if not sees_history(actor, *owner_ids):
        return {"history": None}
    page = await audit_trail.record_history(
        actor, records, *owner_ids, first=HISTORY_PAGE, after=request.query_params.get("history_after")
    )
    return {
        "history": await audit_trail.readable(page.items, gettext),
        "history_next": page.end_cursor if page.has_next_page else None,
    }


def routes() -> list[Route]:
    return [Route("/audit", log_page), Route("/audit.csv", log_csv)]
