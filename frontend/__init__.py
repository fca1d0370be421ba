"""The page door: server-rendered Jinja pages over the domain services."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from tortoise.exceptions import ValidationError

from frontend.pages import (
    account,
    applications,
    attention,
    audit,
    auth,
    catalogue,
    claims,
    commitments,
    declaration,
    deposits,
    diagnosis,
    home,
    mail,
    organization_details,
    organizations,
    partners,
    payments,
    privacy,
    protection,
    reports,
    seminar_attendance,
    seminar_people,
    seminar_planning,
    seminars,
    statements,
    tokens,
)
from frontend.render import NoticeFirst, http_error, redirect, refusal_response, render
from server.platform.errors import DomainError, invalid_value
from server.platform.settings import Settings
from web.telemetry import route_of

log = logging.getLogger("club.web")


class IdConvertor(IntegerConvertor):
    """`{x:int}` in a page's path: a row id, so at most nine digits. A longer number matches no route and
    answers 404 like any missing row, where it would have overflowed PostgreSQL's integer ids (and SQLite's
    64-bit ones) with a 500. Ids of this club stay far below a billion."""

    regex = "[0-9]{1,9}"


# Before any route is built: routes compile their pattern from the convertor registered under the name.
register_url_convertor("int", IdConvertor())


def page_routes(settings: Settings) -> list[BaseRoute]:
    return [
        *home.routes(),
        *auth.routes(settings),
        *organizations.routes(),
        *organization_details.routes(),
        *applications.routes(),
        *declaration.routes(),
        *partners.routes(),
        *catalogue.routes(),
        *commitments.routes(),
        # The card page's routes before the claim actions they would otherwise match.
        *payments.routes(),
        *claims.routes(),
        *statements.routes(),
        # Before the seminar actions, whose /seminars/{id}/{action} would take these posts.
        *seminar_people.routes(),
        *seminar_planning.routes(),
        *seminar_attendance.routes(),
        *reports.routes(),
        *seminars.routes(),
        *diagnosis.routes(),
        *protection.routes(),
        *deposits.routes(),
        *mail.routes(),
        *attention.routes(),
        *audit.routes(),
        *tokens.routes(),
        *account.routes(),
        *privacy.routes(),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401:
        return redirect(f"/signin?next={quote(request.url.path)}")
    # A page someone may not see answers like one that does not exist.
    status = 404 if exc.status_code == 403 and request.method == "GET" else exc.status_code
    detail = exc.detail if exc.status_code in (400, 403) and exc.detail else None
    return await render(request, "error.html", {"status": status, "detail": detail}, status_code=status)


async def _domain_error(request: Request, exc: Exception) -> Response:
    """Every refusal a page meets: on a form that `shows_refusals`, that form with its errors; otherwise a
    clear 4xx (the 404 page for what is missing or not the actor's), never a 500."""
    assert isinstance(exc, DomainError)
    shown = await refusal_response(request, exc)
    return shown if shown is not None else await _http_error(request, http_error(exc))


async def _notice_first(request: Request, exc: Exception) -> Response:
    back = request.url.path if request.method == "GET" else "/"
    return redirect(f"/privacy/notice?next={quote(back)}")


async def _invalid_value(request: Request, exc: Exception) -> Response:
    return await _domain_error(request, invalid_value())


async def _server_error(request: Request, exc: Exception) -> Response:
    # The route's template, not the path: some paths carry a secret (invitation and reset links).
    log.exception("unhandled error on %s %s", request.method, route_of(request.scope), exc_info=exc)
    return await render(request, "error.html", {"status": 500, "detail": None}, status_code=500)


def error_handlers() -> dict[Any, Any]:
    return {
        HTTPException: _http_error,
        DomainError: _domain_error,
        NoticeFirst: _notice_first,
        ValidationError: _invalid_value,
        Exception: _server_error,
    }
