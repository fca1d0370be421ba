"""Personal data pages: the privacy notice (asked before anything else), one's own data (page and JSON),
asking to be removed, and the secretariat's removal requests."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.i18n import gettext
from frontend.pages.auth import _safe_next
from frontend.render import (
    confirmed,
    form_id,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.privacy import notice, personal_data, removal
from web.sessions import current_actor

REMOVALS_PAGE = 25


async def _notice_page(
    request: Request, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    """Readable by anyone; a signed-in person who has not accepted the current version accepts it here."""
    actor = await current_actor(request)
    due = actor is not None and await notice.needs_acceptance(actor.user)
    accepted = actor.user.privacy_notice_version if actor else None
    context = {
        "notice": await notice.current_notice(),
        "due": due,
        "changes": await notice.changes_since(accepted) if due else [],
        "may_publish": actor is not None and actor.is_secretariat,
        "published": request.query_params.get("published"),
        "accepted_version": accepted,
        "accepted_at": actor.user.privacy_notice_accepted_at if actor else None,
        "next": _safe_next(request.query_params.get("next")),
        "errors": errors or {},
    }
    return await render(request, "privacy/notice.html", context, status_code=status_code)


async def notice_page(request: Request) -> Response:
    return await _notice_page(request)


@shows_refusals(lambda request, errors: _notice_page(request, errors, status_code=400))
async def accept_notice(request: Request) -> Response:
    form = await read_form(request)
    await notice.accept_notice(actor=await current_actor(request), version=form_id(form.get("version")) or 0)
    return redirect(_safe_next(str(form.get("next", "/"))))


async def my_data(request: Request) -> Response:
    actor = await require_page_actor(request, notice_first=False)
    context = {
        "data": await personal_data.personal_data(actor, gettext),
        "removal": await removal.my_removal_request(actor),
    }
    return await render(request, "privacy/my_data.html", context)


async def my_data_json(request: Request) -> Response:
    actor = await require_page_actor(request, notice_first=False)
    document = await personal_data.personal_data(actor, gettext)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="my-personal-data.json"'},
    )


async def request_removal(request: Request) -> Response:
    """Asks first what removal means; only the confirmation page's own post files the request."""
    actor = await require_page_actor(request, notice_first=False)
    form = await read_form(request)
    if not confirmed(form):
        return await render(request, "privacy/confirm_removal.html", {})
    await removal.request_account_removal(actor=actor)
    return redirect("/privacy?requested=1")


async def removals_page(
    request: Request, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    actor = await require_page_actor(request)
    page = await removal.removal_requests(actor, first=REMOVALS_PAGE, after=request.query_params.get("after"))
    context = {"page": page, "errors": errors or {}, "done": request.query_params.get("done")}
    return await render(request, "privacy/removals.html", context, status_code=status_code)


async def _confirm_complete(request: Request, errors: dict[str, str], status_code: int = 400) -> Response:
    actor = await require_page_actor(request)
    asked = await removal.get_removal_request(actor, request.path_params["removal_id"])
    context = {
        "asked": asked,
        "alone_in": await removal.last_member_of(asked.user_id),
        "errors": errors,
    }
    return await render(request, "privacy/confirm_complete.html", context, status_code=status_code)


@shows_refusals(_confirm_complete)
async def complete_removal(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    if not confirmed(form):
        return await _confirm_complete(request, {}, status_code=200)
    await removal.complete_account_removal(
        actor=actor,
        request_id=request.path_params["removal_id"],
        last_member_confirmed=form.get("last_member_confirmed") == "yes",
    )
    return redirect("/privacy/removals?done=1")


async def publish_page(
    request: Request, errors: dict[str, str] | None = None, status_code: int = 200, confirm: bool = False
) -> Response:
    """The secretariat's form for a new version, starting from the current text."""
    actor = await require_page_actor(request)
    current, following = await notice.next_version(actor)
    form: dict[str, object]
    if request.method == "POST":
        form = dict(await read_form(request))
        if errors and "version" in errors:  # another version came out: what is sent next follows it
            form["version"] = str(following)
    else:
        form = {"version": str(following)}
        if current is not None:
            form |= {"text_ko": current.text_ko, "text_en": current.text_en}
    context = {"current": current, "form": form, "errors": errors or {}, "confirm": confirm}
    return await render(request, "privacy/publish.html", context, status_code=status_code)


@shows_refusals(lambda request, errors: publish_page(request, errors, status_code=400))
async def publish(request: Request) -> Response:
    """The first post shows what publishing means; only the confirmation's own post publishes."""
    actor = await require_page_actor(request)
    form = await read_form(request)
    text_ko, text_en = str(form.get("text_ko", "")), str(form.get("text_en", ""))
    summary, version = str(form.get("summary_of_changes", "")), form_id(form.get("version"))
    if not confirmed(form):
        await notice.check_publication(
            actor=actor, text_ko=text_ko, text_en=text_en, summary_of_changes=summary, version=version
        )
        return await publish_page(request, confirm=True)
    published = await notice.publish_notice(
        actor=actor, text_ko=text_ko, text_en=text_en, summary_of_changes=summary, version=version
    )
    return redirect(f"/privacy/notice?published={published.version}")


def routes() -> list[Route]:
    return [
        Route("/privacy/notice", notice_page, methods=["GET"]),
        Route("/privacy/notice", accept_notice, methods=["POST"]),
        Route("/privacy/notice/publish", publish_page, methods=["GET"]),
        Route("/privacy/notice/publish", publish, methods=["POST"]),
        Route("/privacy", my_data),
        Route("/privacy/my-data.json", my_data_json),
        Route("/privacy/removal", request_removal, methods=["POST"]),
        Route("/privacy/removals", removals_page),
        Route("/privacy/removals/{removal_id:int}", complete_removal, methods=["POST"]),
    ]
