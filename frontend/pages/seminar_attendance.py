"""On the day and after: check-in at the door, the attendance list and certificates."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.i18n import gettext
from frontend.pages.seminar_planning import secretariat_seminar
from frontend.render import csv_download, read_form, redirect, render, require_page_actor, shows_refusals
from server.platform.timeutil import in_seoul, now
from server.seminars import queries, registrations

CHECK_IN_PAGE = 100


async def _check_in_list(
    request: Request, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    actor, seminar = await secretariat_seminar(request)
    search = request.query_params.get("q", "")
    page = await registrations.seminar_registrations(
        actor, seminar, search=search, first=CHECK_IN_PAGE, after=request.query_params.get("after")
    )
    assert page is not None  # only co-hosts may be refused the list; this is the secretariat
    context = {
        "seminar": seminar,
        "page": page,
        "total": await page.total_count(),
        "search": search,
        "errors": errors or {},
    }
    return await render(request, "seminars/check_in.html", context, status_code=status_code)


async def check_in_page(request: Request) -> Response:
    return await _check_in_list(request)


async def _check_in_refused(request: Request, errors: dict[str, str]) -> Response:
    """Mostly a second tap on someone already checked in: the list again, saying so."""
    return await _check_in_list(request, errors=errors, status_code=400)


@shows_refusals(_check_in_refused)
async def check_in(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await registrations.check_in(actor=actor, registration_id=request.path_params["registration_id"])
    search = str(form.get("q", ""))
    return redirect(f"/seminars/{request.path_params['seminar_id']}/check-in?q={quote(search)}")


async def attendance_csv(request: Request) -> Response:
    actor = await require_page_actor(request)
    seminar_id = request.path_params["seminar_id"]
    seminar = await queries.get_seminar(actor, seminar_id)
    attendees = await registrations.attendance(actor, seminar_id)
    rows = [
        [
            r.user.name,
            r.organization.name_ko,
            r.organization.business_number or "",
            gettext(r.status.value),
            in_seoul(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
        ]
        for r in attendees
    ]
    headings = ("Name", "Organisation", "Business number", "Status", "Checked in")
    return csv_download(f"attendance-{seminar.id}-{in_seoul(seminar.starts_at):%Y%m%d}.csv", headings, rows)


async def certificate(request: Request) -> Response:
    actor = await require_page_actor(request)
    registration = await registrations.certificate(actor, request.path_params["seminar_id"])
    return await render(
        request, "seminars/certificate.html", {"registration": registration, "issued": in_seoul(now()).date()}
    )


def routes() -> list[Route]:
    return [
        Route("/seminars/{seminar_id:int}/check-in", check_in_page, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/check-in/{registration_id:int}", check_in, methods=["POST"]),
        Route("/seminars/{seminar_id:int}/attendance.csv", attendance_csv, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/certificate", certificate, methods=["GET"]),
    ]
