"""The secretariat's "needs attention" page: money matters to decide, and calls to Stripe still pending."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import field_errors, http_error, read_form, redirect, render, require_page_actor
from server.money import attention
from server.platform.errors import DomainError


async def _page(request: Request, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    resolved = request.query_params.get("resolved") == "1"
    page = await attention.list_attention(
        actor, resolved=resolved, first=25, after=request.query_params.get("after")
    )
    calls = await attention.pending_calls(actor, first=50)
    context = {
        "page": page,
        "calls": calls.items,
        "more_calls": calls.has_next_page,
        "resolved": resolved,
        "errors": errors or {},
    }
    return await render(request, "attention.html", context, status_code=status_code)


async def attention_list(request: Request) -> Response:
    return await _page(request)


async def resolve(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    try:
        await attention.resolve_attention(
            actor=actor, attention_id=request.path_params["attention_id"], note=str(form.get("note", ""))
        )
    except DomainError as error:
        if error.errors[0].field is None:
            raise http_error(error) from error
        return await _page(request, errors=field_errors(error), status_code=400)
    return redirect("/attention")


def routes() -> list[Route]:
    return [
        Route("/attention", attention_list),
        Route("/attention/{attention_id:int}/resolve", resolve, methods=["POST"]),
    ]
