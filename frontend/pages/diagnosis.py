"""Self-diagnosis pages: take it, see the result and advice, follow the trend, share, and club statistics."""

from __future__ import annotations

import json

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.charts import bar_chart, radar_chart
from frontend.i18n import gettext, language_of
from frontend.render import (
    form_id,
    form_number,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.diagnosis import results
from server.diagnosis import taking as service
from server.diagnosis.areas import area_names, by_area
from server.diagnosis.questionnaire import SCALE, TOP
from server.platform.actor import Actor
from server.platform.errors import forbidden, invalid

HISTORY_PAGE = 20


async def take(request: Request) -> Response:
    actor = await require_page_actor(request)
    if actor.is_secretariat:
        return redirect("/diagnosis/statistics")
    if not actor.is_sme_representative:
        return redirect("/partners")
    return await _form(request, actor)


async def _form(
    request: Request,
    actor: Actor,
    *,
    answers: dict[str, int] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    draft = await service.current_draft(actor)
    questionnaire = draft.questionnaire if draft else await service.current_questionnaire()
    context = {
        "questionnaire": questionnaire,
        "answers": answers if answers is not None else (draft.answers if draft else {}),
        "scale": SCALE,
        "errors": errors,
        "organization": actor.organization,  # read for this request, so its sharing choice is current
    }
    return await render(request, "diagnosis/take.html", context, status_code=400 if errors else 200)


def _answers(form: FormData) -> dict[str, int]:
    return {
        key.removeprefix("item-"): score
        for key, value in form.items()
        if key.startswith("item-") and (score := form_number(value, TOP)) is not None
    }


async def _save_refused(request: Request, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    return await _form(request, actor, answers=_answers(await request.form()), errors=errors)


@shows_refusals(_save_refused)
async def save(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    answers = _answers(form)
    if form.get("action") == "submit":
        done = await service.submit(actor=actor, answers=answers)
        return redirect(f"/diagnosis/{done.id}")
    await service.save_draft(actor=actor, answers=answers)
    return redirect("/diagnosis?saved=1")


async def result(request: Request) -> Response:
    actor = await require_page_actor(request)
    found = await results.get_diagnosis(actor, request.path_params["diagnosis_id"])
    language = language_of(request)
    names = area_names(language)
    scores = {code: float(value) for code, value in by_area(found.area_scores).items()}
    chart = radar_chart(
        [(names[code], value) for code, value in scores.items()], title=gettext("Score by category")
    )
    context = {
        "diagnosis": found,
        "scores": scores,
        "names": names,
        "chart": chart,
        "advice": await results.advice_for(found),
        "own": actor.organization.id == found.sme.id,
    }
    return await render(request, "diagnosis/result.html", context)


async def history(request: Request) -> Response:
    actor = await require_page_actor(request)
    sme = request.query_params.get("sme", "")
    page = await results.list_diagnoses(
        actor,
        sme_id=form_id(sme),
        first=HISTORY_PAGE,
        after=request.query_params.get("after"),
    )
    points = [(at.strftime("%Y-%m-%d"), float(value)) for at, value in results.trend(page.items)]
    chart = bar_chart(
        [(label, round(value)) for label, value in points],
        limit=75,
        label=lambda v: f"{v}",
        title=gettext("Overall score by submission (the line marks 75, excellent)"),
        series=gettext("Overall score"),
        limit_name=gettext("Excellent from"),
    )
    return await render(request, "diagnosis/history.html", {"page": page, "chart": chart, "sme": sme})


async def sharing(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await service.set_sharing(actor=actor, shared=form.get("shared") == "yes")
    return redirect("/diagnosis?shared=1")


async def statistics(request: Request) -> Response:
    actor = await require_page_actor(request)
    found = await results.statistics(actor)
    names = area_names(language_of(request))
    levels_chart = bar_chart(
        [(gettext(f"level_{level.value}"), count) for level, count in found.levels.items()],
        limit=0,
        label=lambda v: f"{v}",
        title=gettext("SMEs by level of their latest result"),
        series=gettext("SMEs"),
    )
    context = {"stats": found, "names": names, "levels_chart": levels_chart}
    return await render(request, "diagnosis/statistics.html", context)


async def questionnaires(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise HTTPException(403)
    current = await service.current_questionnaire()
    text = json.dumps(current.definition, ensure_ascii=False, indent=2)
    return await render(request, "diagnosis/questionnaires.html", {"current": current, "text": text})


async def _publish_refused(request: Request, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise forbidden()
    text = str((await request.form()).get("definition", ""))
    context = {"current": await service.current_questionnaire(), "text": text, "errors": errors}
    return await render(request, "diagnosis/questionnaires.html", context, status_code=400)


@shows_refusals(_publish_refused)
async def publish(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    try:
        definition = json.loads(str(form.get("definition", "")))
    except ValueError as exc:
        raise invalid("definition", "The definition is not valid JSON.") from exc
    await service.publish_questionnaire(actor=actor, definition=definition)
    return redirect("/questionnaires?published=1")


def routes() -> list[Route]:
    return [
        Route("/diagnosis", take, methods=["GET"]),
        Route("/diagnosis", save, methods=["POST"]),
        Route("/diagnosis/history", history, methods=["GET"]),
        Route("/diagnosis/sharing", sharing, methods=["POST"]),
        Route("/diagnosis/statistics", statistics, methods=["GET"]),
        Route("/diagnosis/{diagnosis_id:int}", result, methods=["GET"]),
        Route("/questionnaires", questionnaires, methods=["GET"]),
        Route("/questionnaires", publish, methods=["POST"]),
    ]
