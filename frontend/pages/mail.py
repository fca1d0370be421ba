"""The mail outbox page: what was sent, what waits, what failed (secretariat only)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import render, require_page_actor
from server.errors import DomainError
from server.mail_log import list_mails
from server.models import MailStatus


async def outbox(request: Request) -> Response:
    actor = await require_page_actor(request)
    raw_status = request.query_params.get("status")
    status = MailStatus(raw_status) if raw_status in set(MailStatus) else None
    try:
        page = await list_mails(actor, status=status, first=25, after=request.query_params.get("after"))
    except DomainError as error:
        raise HTTPException(403) from error
    return await render(request, "mail.html", {"page": page, "status": status, "statuses": list(MailStatus)})


def routes() -> list[Route]:
    return [Route("/mail", outbox)]
