"""Seminar pages: the programme (list and month calendar), scheduling, registering, check-in,
attendance, certificates and calendar files."""

from __future__ import annotations

import calendar as month_grid
from datetime import date, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.pages.audit import history_section
from frontend.render import (
    confirmed,
    form_id,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import organizations
from server.platform.timeutil import in_calendar, in_seoul, now
from server.seminars import calendar, queries, registration_list, registrations, seminar_list
from server.seminars import schedule as seminars
from server.seminars.queries import SeminarFilter, month_range
from server.seminars.schedule import SeminarTopic

# A month can hold a few hundred seminars once every member runs training: the list goes a page at a
# time; the calendar needs the whole month on one grid.
PROGRAMME_PAGE = 30
CALENDAR_LIMIT = 100


def _month(text: str | None) -> date:
    try:
        first = datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        first = None
    return first if first and in_calendar(first) else in_seoul(now()).date().replace(day=1)


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


async def programme(request: Request) -> Response:
    actor = await require_page_actor(request)
    params = request.query_params
    first = _month(params.get("month"))
    view = "calendar" if params.get("view") == "calendar" else "list"
    start, month_end = month_range(first.year, first.month)
    end: datetime | None = month_end
    upcoming = view == "list" and not params.get("month")
    if upcoming:
        # Without a month, the list shows what is coming, whatever month it falls in.
        start, end = now(), None
    topic = params.get("topic") if params.get("topic") in set(SeminarTopic) else None
    co_host = params.get("co_host", "")
    where = SeminarFilter(start, end, topic, form_id(co_host))
    size = PROGRAMME_PAGE if view == "list" else CALENDAR_LIMIT
    page = await seminar_list.list_seminars(actor, where, first=size, after=params.get("after"))
    by_day: dict[int, list[object]] = {}
    for seminar in page.items:
        by_day.setdefault(in_seoul(seminar.starts_at).day, []).append(seminar)
    context = {
        "page": page,
        "month": first,
        "previous": _shift(first, -1),
        "next": _shift(first, 1),
        "weeks": month_grid.Calendar(firstweekday=6).monthdayscalendar(first.year, first.month),
        "by_day": by_day,
        "topics": list(SeminarTopic),
        "topic": topic,
        "co_host": co_host,
        "conglomerates": await organizations.conglomerate_choices(),
        "view": view,
        "upcoming": upcoming,
    }
    return await render(request, "seminars/programme.html", context)


async def detail(request: Request) -> Response:
    return await _detail(request)


async def _detail(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    confirm: str | None = None,
    status_code: int = 200,
) -> Response:
    actor = await require_page_actor(request)
    seminar = await queries.get_seminar(actor, request.path_params["seminar_id"])
    partners = None
    if actor.is_coordinator:
        partners = await registrations.seminar_registrations(actor, seminar, first=100)
    mine = await registrations.my_registration(actor, seminar.id)
    context = {
        "seminar": seminar,
        "mine": mine,
        "partners": partners,
        **await history_section(request, actor, [seminar]),
        "registration_history": (
            await history_section(request, actor, [mine], mine.organization_id) if mine else {"history": None}
        )["history"],
        "errors": errors,
        "confirm": confirm,
    }
    return await render(request, "seminars/detail.html", context, status_code=status_code)


async def _refused(request: Request, errors: dict[str, str]) -> Response:
    confirm = "cancel" if request.path_params["action"] == "cancel" else None
    return await _detail(request, errors=errors, confirm=confirm, status_code=400)


@shows_refusals(_refused)
async def act(request: Request) -> Response:
    """Register, cancel one's registration, publish or (after confirming) cancel the seminar."""
    actor = await require_page_actor(request)
    seminar_id = request.path_params["seminar_id"]
    action = request.path_params["action"]
    form = await read_form(request)
    if action == "register":
        await registrations.register_for_seminar(actor=actor, seminar_id=seminar_id)
    elif action == "unregister":
        await registrations.cancel_registration(
            actor=actor, registration_id=form_id(form.get("registration_id")) or 0
        )
    elif action == "publish":
        await seminars.publish_seminar(actor=actor, seminar_id=seminar_id)
    elif action == "cancel":
        if not confirmed(form):
            return await _detail(request, confirm="cancel")
        await seminars.cancel_seminar(actor=actor, seminar_id=seminar_id, reason=str(form.get("reason", "")))
    else:
        raise HTTPException(404)
    return redirect(f"/seminars/{seminar_id}")


async def seminar_ics(request: Request) -> Response:
    actor = await require_page_actor(request)
    seminar = await queries.get_seminar(actor, request.path_params["seminar_id"])
    body = calendar.seminar_ics(seminar)
    headers = {"Content-Disposition": f'attachment; filename="seminar-{seminar.id}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


async def feed(request: Request) -> Response:
    """No sign-in: calendar apps fetch this by its secret address."""
    body = await calendar.feed_ics(request.path_params["token"])
    return Response(body, media_type="text/calendar; charset=utf-8")


async def my_registrations(request: Request) -> Response:
    actor = await require_page_actor(request)
    page = await registration_list.my_registrations(actor, first=50, after=request.query_params.get("after"))
    token = await calendar.calendar_token(actor)
    feed_url = f"{request.app.state.settings.base_url}/calendar/{token}.ics"
    return await render(request, "seminars/mine.html", {"page": page, "feed_url": feed_url})


async def rotate_feed(request: Request) -> Response:
    actor = await require_page_actor(request)
    await read_form(request)
    await calendar.calendar_token(actor, rotate=True)
    return redirect("/my/registrations?rotated=1")


def routes() -> list[Route]:
    return [
        Route("/seminars", programme, methods=["GET"]),
        Route("/seminars/{seminar_id:int}.ics", seminar_ics, methods=["GET"]),
        Route("/seminars/{seminar_id:int}", detail, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/{action:str}", act, methods=["POST"]),
        Route("/my/registrations", my_registrations, methods=["GET"]),
        Route("/my/calendar/rotate", rotate_feed, methods=["POST"]),
        Route("/calendar/{token:str}.ics", feed, methods=["GET"]),
    ]
