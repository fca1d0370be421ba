"""A person's API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import read_form, redirect, render, require_page_actor, shows_refusals
from server.accounts import signin as accounts


async def _page(request: Request, **context: object) -> Response:
    actor = await require_page_actor(request)
    tokens = await accounts.api_tokens_of(actor)
    status = 400 if context.get("errors") else 200
    return await render(request, "tokens.html", {"tokens": tokens, **context}, status_code=status)


async def token_list(request: Request) -> Response:
    return await _page(request)


@shows_refusals(lambda request, errors: _page(request, errors=errors))
async def create_token(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    issued = await accounts.create_api_token(actor, str(form.get("name", "")))
    return await _page(request, issued=issued)


@shows_refusals(lambda request, errors: _page(request, errors=errors))
async def revoke_token(request: Request) -> Response:
    actor = await require_page_actor(request)
    await read_form(request)
    await accounts.revoke_api_token(actor, request.path_params["token_id"])
    return redirect("/account/tokens")


def routes() -> list[Route]:
    return [
        Route("/account/tokens", token_list, methods=["GET"]),
        Route("/account/tokens", create_token, methods=["POST"]),
        Route("/account/tokens/{token_id:int}/revoke", revoke_token, methods=["POST"]),
    ]
