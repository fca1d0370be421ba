"""The secretariat plans a seminar: the form to schedule one and to change it."""

from __future__ import annotations

from datetime import datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import (
    form_ids,
    form_number,
    form_time,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import organizations
from server.models import Seminar, SeminarAudience
from server.platform.actor import Actor
from server.platform.errors import forbidden
from server.platform.timeutil import in_seoul
from server.seminars import queries
from server.seminars import schedule as seminars
from server.seminars.schedule import SeminarTopic


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
        starts_at=form_time(form.get("starts_at")),
        ends_at=form_time(form.get("ends_at")),
        capacity=form_number(form.get("capacity")),
        registration_opens_at=form_time(form.get("registration_opens_at")),
        registration_closes_at=form_time(form.get("registration_closes_at")),
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


async def secretariat_seminar(request: Request) -> tuple[Actor, Seminar]:
    """The seminar of the path, for pages only the secretariat uses."""
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise forbidden()
    return actor, await queries.get_seminar(actor, request.path_params["seminar_id"])


async def edit_seminar(request: Request) -> Response:
    _, seminar = await secretariat_seminar(request)
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


async def _save_refused(request: Request, errors: dict[str, str]) -> Response:
    if not (await require_page_actor(request)).is_secretariat:
        raise forbidden()
    form = await request.form()
    values: dict[str, object] = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    values["co_host_ids"] = form_ids(form.getlist("co_host_ids"))
    return await _form_page(request, values, errors=errors, seminar_id=request.path_params.get("seminar_id"))


@shows_refusals(_save_refused)
async def save_seminar(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    data = _read_plan(values, form_ids(form.getlist("co_host_ids")))
    seminar_id = request.path_params.get("seminar_id")
    if seminar_id is None:
        seminar = await seminars.schedule_seminar(actor=actor, data=data)
    else:
        seminar = await seminars.update_seminar(actor=actor, seminar_id=seminar_id, data=data)
    return redirect(f"/seminars/{seminar.id}")


def routes() -> list[Route]:
    return [
        Route("/seminars/new", new_seminar, methods=["GET"]),
        Route("/seminars", save_seminar, methods=["POST"]),
        Route("/seminars/{seminar_id:int}/edit", edit_seminar, methods=["GET"]),
        Route("/seminars/{seminar_id:int}/edit", save_seminar, methods=["POST"]),
    ]
