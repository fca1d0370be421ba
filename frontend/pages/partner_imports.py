"""Partner spreadsheet imports for coordinators: upload, the checked rows, and committing the invitations."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import read_form, redirect, render, require_page_actor, shows_refusals
from server.membership import partner_import as imports
from server.models import ImportStatus
from server.platform.errors import DomainError, ErrorCode

PREVIEW_ROWS = 200


async def import_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_coordinator:
        raise HTTPException(403)
    return await render(request, "partners/import.html", {})


async def _upload_refused(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "partners/import.html", {"errors": errors}, status_code=400)


@shows_refusals(_upload_refused)
async def upload(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise DomainError.single(ErrorCode.REQUIRED, "Choose a .csv or .xlsx file.", "file")
        found = await imports.preview_partner_import(
            actor=actor, filename=file.filename, content=await file.read()
        )
    finally:
        await form.close()
    return redirect(f"/partners/import/{found.id}")


async def import_detail(request: Request, errors: dict[str, str] | None = None) -> Response:
    actor = await require_page_actor(request)
    found = await imports.get_partner_import(actor, request.path_params["import_id"])
    invalid_rows = [r for r in found.rows if r["outcome"] == imports.INVALID][:PREVIEW_ROWS]
    context = {"found": found, "invalid_rows": invalid_rows, "statuses": ImportStatus, "errors": errors or {}}
    return await render(request, "partners/import_detail.html", context, status_code=400 if errors else 200)


async def _commit_refused(request: Request, errors: dict[str, str]) -> Response:
    return await import_detail(request, errors)


@shows_refusals(_commit_refused)
async def commit(request: Request) -> Response:
    actor = await require_page_actor(request)
    import_id = request.path_params["import_id"]
    await read_form(request)
    _, started = await imports.start_partner_import(actor, import_id)
    task = BackgroundTask(imports.run_partner_import, actor, import_id) if started else None
    return Response(status_code=303, headers={"location": f"/partners/import/{import_id}"}, background=task)


def routes() -> list[Route]:
    return [
        Route("/partners/import", import_page, methods=["GET"]),
        Route("/partners/import", upload, methods=["POST"]),
        Route("/partners/import/{import_id:int}", import_detail),
        Route("/partners/import/{import_id:int}/commit", commit, methods=["POST"]),
    ]
