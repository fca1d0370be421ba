"""The secretariat's "needs attention" page: money matters to decide, and calls to Stripe still pending."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import read_form, redirect, render, require_page_actor, shows_refusals
from server.money import attention


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


async def _refused(request: Request, errors: dict[str, str]) -> Response:
    return await _page(request, errors=errors, status_code=400)


@shows_refusals(_refused)
async def resolve(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await attention.resolve_attention(
        actor=actor, attention_id=request.path_params["attention_id"], note=str(form.get("note", ""))
    )
    return redirect("/attention")


def routes() -> list[Route]:
    return [
        Route("/attention", attention_list),
        Route("/attention/{attention_id:int}/resolve", resolve, methods=["POST"]),
    ]
