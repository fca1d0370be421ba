"""The declaration's pages: its text and signatories (public), a signing as a printable page and a PDF, and
the secretariat's form to publish a new version."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import read_form, redirect, render, require_page_actor, shows_refusals
from server.membership import declaration
from server.membership.declaration_pdf import signing_pdf
from web.sessions import current_actor


async def declaration_page(request: Request) -> Response:
    """The current text and its pledges, and every member that signed, in order of signing."""
    page = await declaration.signatories(first=50, after=request.query_params.get("after"))
    actor = await current_actor(request)
    context = {
        "text": await declaration.current_text(),
        "signatories": page,
        "may_publish": actor is not None and actor.is_secretariat,
    }
    return await render(request, "declaration/text.html", context)


async def signing_page(request: Request) -> Response:
    actor = await current_actor(request)
    signing, text = await declaration.signing_document(actor, request.path_params["signing_id"])
    return await render(request, "declaration/signing.html", {"signing": signing, "text": text})


async def signing_download(request: Request) -> Response:
    actor = await current_actor(request)
    signing, text = await declaration.signing_document(actor, request.path_params["signing_id"])
    filename = (
        f"declaration-{signing.organization.business_number or signing.organization_id}-{signing.id}.pdf"
    )
    # Subsetting the Korean font takes a CPU-second or more: in a thread, so other requests go on meanwhile.
    document = await asyncio.to_thread(signing_pdf, signing, text)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


PLEDGES = range(1, declaration.PLEDGE_COUNT + 1)


async def _publish_form(request: Request, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        return await render(request, "error.html", {"status": 404, "detail": None}, status_code=404)
    context = {"text": await declaration.current_text(), "errors": errors, "pledge_numbers": PLEDGES}
    return await render(request, "declaration/publish.html", context, status_code=status_code)


async def publish_page(request: Request) -> Response:
    return await _publish_form(request, {})


async def _publish_refused(request: Request, errors: dict[str, str]) -> Response:
    return await _publish_form(request, errors, status_code=400)


@shows_refusals(_publish_refused)
async def publish(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await declaration.publish_declaration_text(
        actor=actor,
        version=str(form.get("version", "")),
        title_ko=str(form.get("title_ko", "")),
        title_en=str(form.get("title_en", "")),
        body_ko=str(form.get("body_ko", "")),
        body_en=str(form.get("body_en", "")),
        pledges=[
            declaration.Pledge(ko=str(form.get(f"pledge_{n}_ko", "")), en=str(form.get(f"pledge_{n}_en", "")))
            for n in PLEDGES
        ],
    )
    return redirect("/declaration")


def routes() -> list[Route]:
    return [
        Route("/declaration", declaration_page),
        Route("/declaration/publish", publish_page, methods=["GET"]),
        Route("/declaration/publish", publish, methods=["POST"]),
        Route("/declaration/signings/{signing_id:int}", signing_page),
        Route("/declaration/signings/{signing_id:int}/pdf", signing_download),
    ]
