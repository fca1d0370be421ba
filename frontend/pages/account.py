"""The person's own account: sessions, password; forgotten passwords; the secretariat's deactivation."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import confirmed, read_form, redirect, render, require_page_actor, shows_refusals
from server.accounts import credentials
from server.accounts import sessions as user_sessions
from web.sessions import client_of, start_session


async def _sessions_page(request: Request, **context: object) -> Response:
    actor = await require_page_actor(request)
    page = await user_sessions.sessions_of(actor, after=request.query_params.get("after"))
    context = {"page": page, "sessions": page.items, "current_id": actor.session_id, **context}
    return await render(request, "account/sessions.html", context)


async def session_list(request: Request) -> Response:
    return await _sessions_page(request)


async def end_session(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    session_id = request.path_params["session_id"]
    if not confirmed(form):
        return await _sessions_page(request, confirm=session_id)
    await user_sessions.end_session(actor=actor, session_id=session_id)
    return redirect("/account/sessions")


async def end_other_sessions(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    if not confirmed(form):
        return await _sessions_page(request, confirm="others")
    await user_sessions.end_other_sessions(actor=actor)
    return redirect("/account/sessions")


async def password_page(request: Request) -> Response:
    await require_page_actor(request)
    return await render(request, "account/password.html", {"changed": "changed" in request.query_params})


async def _password_refused(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "account/password.html", {"errors": errors}, status_code=400)


@shows_refusals(_password_refused)
async def change_password(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await credentials.change_password(
        actor=actor, current=str(form.get("current", "")), new=str(form.get("new", ""))
    )
    await start_session(request, actor)  # every session ended, this one too: this browser gets a new one
    return redirect("/account/password?changed")


async def forgot_page(request: Request) -> Response:
    return await render(request, "account/forgot.html")


async def _forgot_refused(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "account/forgot.html", {"errors": errors}, status_code=400)


@shows_refusals(_forgot_refused)
async def forgot(request: Request) -> Response:
    form = await read_form(request)
    await credentials.request_password_reset(str(form.get("email", "")), client=client_of(request))
    return await render(request, "account/forgot.html", {"sent": True})


async def _reset_form(request: Request, errors: dict[str, str] | None = None) -> Response:
    await credentials.open_password_reset(request.path_params["token"])
    status = 400 if errors else 200
    return await render(request, "account/reset.html", {"errors": errors or {}}, status_code=status)


async def _reset_link_gone(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "account/reset.html", {"problem": errors.get("")}, status_code=400)


@shows_refusals(_reset_link_gone)
async def reset_page(request: Request) -> Response:
    return await _reset_form(request)


@shows_refusals(_reset_form)
async def reset(request: Request) -> Response:
    form = await read_form(request)
    await credentials.reset_password(request.path_params["token"], str(form.get("password", "")))
    return await render(request, "sign_in.html", {"next": "/", "notice": True})


async def deactivate(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    back = str(form.get("organization_id", ""))
    if not confirmed(form):
        person = await credentials.person_to_deactivate(actor=actor, user_id=request.path_params["user_id"])
        return await render(
            request, "account/confirm_deactivate.html", {"person": person, "organization_id": back}
        )
    await credentials.deactivate_user(actor=actor, user_id=request.path_params["user_id"])
    return redirect(f"/organizations/{back}" if back.isdigit() else "/organizations")


def routes() -> list[Route]:
    return [
        Route("/account/sessions", session_list, methods=["GET"]),
        Route("/account/sessions/others/end", end_other_sessions, methods=["POST"]),
        Route("/account/sessions/{session_id:int}/end", end_session, methods=["POST"]),
        Route("/account/password", password_page, methods=["GET"]),
        Route("/account/password", change_password, methods=["POST"]),
        Route("/password/forgot", forgot_page, methods=["GET"]),
        Route("/password/forgot", forgot, methods=["POST"]),
        Route("/password/reset/{token}", reset_page, methods=["GET"]),
        Route("/password/reset/{token}", reset, methods=["POST"]),
        Route("/people/{user_id:int}/deactivate", deactivate, methods=["POST"]),
    ]
