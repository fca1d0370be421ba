"""Partner spreadsheet imports for coordinators: upload, the checked rows, and committing the invitations."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import field_errors, read_form, redirect, render, require_page_actor
from server.membership import partner_import as imports
from server.models import ImportStatus
from server.platform.errors import DomainError, ErrorCode

PREVIEW_ROWS = 200


async def import_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_coordinator:
        raise HTTPException(403)
    return await render(request, "partners/import.html", {})


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
    except DomainError as error:
        return await render(request, "partners/import.html", {"errors": field_errors(error)}, status_code=400)
    finally:
        await form.close()
    return redirect(f"/partners/import/{found.id}")


async def import_detail(request: Request) -> Response:
    actor = await require_page_actor(request)
    try:
        found = await imports.get_partner_import(actor, request.path_params["import_id"])
    except DomainError as error:
        raise HTTPException(404) from error
    invalid_rows = [r for r in found.rows if r["outcome"] == imports.INVALID][:PREVIEW_ROWS]
    context = {"found": found, "invalid_rows": invalid_rows, "statuses": ImportStatus}
    return await render(request, "partners/import_detail.html", context)


async def commit(request: Request) -> Response:
    actor = await require_page_actor(request)
    import_id = request.path_params["import_id"]
    await read_form(request)
    try:
        _, started = await imports.start_partner_import(actor, import_id)
    except DomainError as error:
        if error.errors[0].code != ErrorCode.MEMBERSHIP_INACTIVE:
            raise HTTPException(404) from error
        found = await imports.get_partner_import(actor, import_id)
        context = {
            "found": found,
            "invalid_rows": [],
            "statuses": ImportStatus,
            "errors": field_errors(error),
        }
        return await render(request, "partners/import_detail.html", context, status_code=400)
    task = BackgroundTask(imports.run_partner_import, actor, import_id) if started else None
    return Response(status_code=303, headers={"location": f"/partners/import/{import_id}"}, background=task)


def routes() -> list[Route]:
    return [
        Route("/partners/import", import_page, methods=["GET"]),
        Route("/partners/import", upload, methods=["POST"]),
        Route("/partners/import/{import_id:int}", import_detail),
        Route("/partners/import/{import_id:int}/commit", commit, methods=["POST"]),
    ]
