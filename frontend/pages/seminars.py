"""Seminar pages: the programme (list and month calendar), scheduling, registering, check-in,
attendance, certificates and calendar files."""

from __future__ import annotations

import calendar as month_grid
from datetime import date, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.i18n import gettext
from frontend.pages.audit import history_section
from frontend.render import (
    confirmed,
    csv_download,
    field_errors,
    form_id,
    form_ids,
    form_number,
    http_error,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import organizations
from server.models import Seminar, SeminarAudience
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.timeutil import in_calendar, in_seoul, now
from server.seminars import calendar, queries, registrations
from server.seminars import schedule as seminars
from server.seminars.queries import SeminarFilter, month_range
from server.seminars.schedule import SeminarTopic

CHECK_IN_PAGE = 100
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
    page = await queries.list_seminars(actor, where, first=size, after=params.get("after"))
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


def _form_time(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return moment if in_calendar(moment) else None


def _read_plan(form: dict[str, str], co_hosts: list[int]) -> seminars.SeminarInput:
    return seminars.SeminarInput(
        title_ko=form.get("title_ko", ""),
        title_en=form.get("title_en", ""),
        description_ko=form.get("description_ko", ""),
        description_en=form.get("description_en", ""),
        topic=form.get("topic", ""),
        speakers=form.get("speakers", ""),
        venue=form.get("venue", ""),
        online_url=form.get("online_url", ""),
        starts_at=_form_time(form.get("starts_at")),
        ends_at=_form_time(form.get("ends_at")),
        capacity=form_number(form.get("capacity")),
        registration_opens_at=_form_time(form.get("registration_opens_at")),
        registration_closes_at=_form_time(form.get("registration_closes_at")),
        seats_per_organization=form_number(form.get("seats_per_organization"))
        if form.get("seats_per_organization")
        else None,
        audience=SeminarAudience(form["audience"])
        if form.get("audience") in set(SeminarAudience)
        else SeminarAudience.EVERYONE,
        co_host_ids=co_hosts,
    )


def _local(moment: datetime | None) -> str:
    return in_seoul(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


async def _form_page(
    request: Request,
    form: dict[str, object],
    *,
    errors: dict[str, str] | None = None,
    seminar_id: int | None = None,
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "seminar_id": seminar_id,
        "topics": list(SeminarTopic),
        "conglomerates": await organizations.conglomerate_choices(),
    }
    return await render(request, "seminars/form.html", context, status_code=400 if errors else 200)


async def new_seminar(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise HTTPException(403)
    return await _form_page(request, {"topic": "strategy", "audience": "everyone", "co_host_ids": []})


async def _secretariat_seminar(request: Request) -> tuple[Actor, Seminar]:
    """The seminar of the path, for pages only the secretariat uses."""
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise HTTPException(403)
    return actor, await queries.get_seminar(actor, request.path_params["seminar_id"])


async def edit_seminar(request: Request) -> Response:
    _, seminar = await _secretariat_seminar(request)
    form: dict[str, object] = {
        key: getattr(seminar, key)
        for key in (
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "topic",
            "speakers",
            "venue",
            "online_url",
            "capacity",
            "seats_per_organization",
        )
    }
    form.update(
        starts_at=_local(seminar.starts_at),
        ends_at=_local(seminar.ends_at),
        registration_opens_at=_local(seminar.registration_opens_at),
        registration_closes_at=_local(seminar.registration_closes_at),
        audience=seminar.audience.value,
        co_host_ids=[o.id for o in seminar.co_hosts],
    )
    return await _form_page(request, form, seminar_id=seminar.id)


async def save_seminar(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    co_hosts = form_ids(form.getlist("co_host_ids"))
    seminar_id = request.path_params.get("seminar_id")
    try:
        data = _read_plan(values, co_hosts)
        if seminar_id is None:
            seminar = await seminars.schedule_seminar(actor=actor, data=data)
        else:
            seminar = await seminars.update_seminar(actor=actor, seminar_id=seminar_id, data=data)
    except DomainError as error:
        if error.errors[0].code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
            raise http_error(error) from error
        return await _form_page(
            request, {**values, "co_host_ids": co_hosts}, errors=field_errors(error), seminar_id=seminar_id
        )
    return redirect(f"/seminars/{seminar.id}")


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


async def check_in_page(request: Request) -> Response:
    actor, seminar = await _secretariat_seminar(request)
    search = request.query_params.get("q", "")
    page = await registrations.seminar_registrations(
        actor, seminar, search=search, first=CHECK_IN_PAGE, after=request.query_params.get("after")
    )
    assert page is not None  # only co-hosts may be refused the list; this is the secretariat
    return await render(
        request,
        "seminars/check_in.html",
        {"seminar": seminar, "page": page, "total": await page.total_count(), "search": search},
    )


async def check_in(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    try:
        await registrations.check_in(actor=actor, registration_id=request.path_params["registration_id"])
    except DomainError as error:
        if error.errors[0].code != ErrorCode.INVALID_STATE:
            raise http_error(error) from error
    search = str(form.get("q", ""))
    return redirect(f"/seminars/{request.path_params['seminar_id']}/check-in?q={search}")


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


async def seminar_ics(request: Request) -> Response:
    actor = await require_page_actor(request)
    seminar = await queries.get_seminar(actor, request.path_params["seminar_id"])
    body = calendar.seminar_ics(seminar)
    headers = {"Content-Disposition": f'attachment; filename="seminar-{seminar.id}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


async def feed(request: Request) -> Response:
    """No sign-in: calendar apps fetch this by its secret address."""
    try:
        body = await calendar.feed_ics(request.path_params["token"])
    except DomainError as error:
        raise HTTPException(404) from error
    return Response(body, media_type="text/calendar; charset=utf-8")


async def my_registrations(request: Request) -> Response:
    actor = await require_page_actor(request)
    page = await registrations.my_registrations(actor, first=50, after=request.query_params.get("after"))
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
        Route("/seminars/new", new_seminar, methods=["GET"]),
        Route("/seminars", save_seminar, methods=["POST"]),
        Route("/seminars/{seminar_id:int}.ics", seminar_ics, methods=["GET"]),
        Route("/seminars/{seminar_id:int}", detail, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/edit", edit_seminar, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/edit", save_seminar, methods=["POST"]),
        Route("/seminars/{seminar_id:int}/check-in", check_in_page, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/check-in/{registration_id:int}", check_in, methods=["POST"]),
        Route("/seminars/{seminar_id:int}/attendance.csv", attendance_csv, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/certificate", certificate, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/{action:str}", act, methods=["POST"]),
        Route("/my/registrations", my_registrations, methods=["GET"]),
        Route("/my/calendar/rotate", rotate_feed, methods=["POST"]),
        Route("/calendar/{token:str}.ics", feed, methods=["GET"]),
    ]
