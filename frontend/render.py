"""Rendering pages: the Jinja environment, filters, CSRF tokens and form errors."""

from __future__ import annotations

import functools
import hmac
import io
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from frontend.i18n import current_language, gettext, language_of, ngettext, use_language
from server.membership.business_number import format_number
from server.platform import policy
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.exports import SafeWriter
from server.platform.korean import particles
from server.platform.text import MAX_ID, MAX_WON, has_odd_characters
from server.platform.timeutil import SEOUL, in_calendar
from server.privacy import notice
from web.sessions import current_actor

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
# A money-moving form carries a token of its own, new each time it is rendered: sent twice (a double
# click, a resend), it is the same request, and the domain answers the repeat with the first result.
ONCE_FIELD = "form_token"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
_env = templates.env
_env.add_extension("jinja2.ext.i18n")
_env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
_filled_in: Callable[..., str] = _env.globals["gettext"]  # type: ignore[assignment]


@pass_context
def _gettext_with_particles(context: Any, message: str, **variables: Any) -> str:
    """A message with its names filled in, each `이(가)`-style particle fitted to the name before it."""
    # A list page asks for the same few messages on every row ("Tier 1", a status): each is looked up,
    # filled in and fitted once per process and language, when what fills it is plain text or a number.
    plain = all(type(value) in (str, int) for value in variables.values())
    key = (current_language(), context.eval_ctx.autoescape, message, *variables.items()) if plain else None
    known = _FITTED.get(key) if key else None
    if known is not None:
        return known
    text = _filled_in(context, message, **variables)
    if variables:
        fitted = particles(str(text))
        # Already escaped when it was Markup: picking one of two particle forms adds no markup.
        text = Markup(fitted) if isinstance(text, Markup) else fitted  # noqa: S704
    if key and len(_FITTED) < _FITTED_AT_MOST:
        _FITTED[key] = text
    return text


_FITTED: dict[tuple[Any, ...], str] = {}
_FITTED_AT_MOST = 20_000


_env.globals["gettext"] = _env.globals["_"] = _gettext_with_particles


# Dates, times and amounts read the same in Korean and English: ISO dates, 24-hour Seoul time, and
# thousands grouped by commas. Plain formatting, not a locale lookup per value: a list renders hundreds.


def _datetime(value: datetime | None) -> str:
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M") if value else ""


def _date(value: date | None) -> str:
    """The calendar date; for a moment, its date in Seoul (not where the database keeps it, in UTC)."""
    if value is None:
        return ""
    return (value.astimezone(SEOUL).date() if isinstance(value, datetime) else value).isoformat()


def won(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,}원" if current_language() == "ko" else f"₩{amount:,}"


_env.filters.update(datetime=_datetime, date=_date, won=won, business_number=format_number)
_env.globals["new_form_token"] = lambda: secrets.token_urlsafe(24)
_env.globals["may_use_api_tokens"] = policy.may_use_api_tokens


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


async def read_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "The form expired. Go back, reload the page and try again.")
    if any(_has_nul(value) for _, value in form.multi_items()):
        raise HTTPException(400, "The form contains a character that is not text (NUL).")
    return form


def form_token(form: FormData) -> str | None:
    """The posted form's one-time token (the idempotency key of its request), if it has one."""
    token = form.get(ONCE_FIELD)
    return token if isinstance(token, str) and token else None


def _has_nul(value: str | UploadFile) -> bool:
    """No field takes a NUL and PostgreSQL stores none in text (a file's own bytes are checked when read)."""
    return has_odd_characters(value if isinstance(value, str) else value.filename or "")


def field_errors(error: DomainError) -> dict[str, str]:
    """Translated messages by field; errors of no field are under ''."""
    messages: dict[str, str] = {}
    for e in error.errors:
        key = e.field or ""
        messages[key] = (messages[key] + " " if key in messages else "") + e.text(gettext)
    return messages


async def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Response:
    use_language(language_of(request))
    actor: Actor | None = await current_actor(request)
    base = {
        "actor": actor,
        "csrf_token": csrf_token(request),
        "language": current_language(),
        "settings": request.app.state.settings,
    }
    return templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def http_error(error: DomainError) -> HTTPException:
    """A refusal for a page that cannot show it inline: hidden or missing reads as not found."""
    code = error.errors[0].code
    if code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
        return HTTPException(404)
    if code == ErrorCode.UNAUTHENTICATED:
        return HTTPException(401)
    return HTTPException(400, error.errors[0].text(gettext))


def confirmed(form: FormData) -> bool:
    """The "confirm, then act" pages: a destructive form's first post shows what will happen, and only the
    confirmation page's own post (carrying confirmed=yes) acts."""
    return form.get("confirmed") == "yes"


Handler = Callable[[Request], Awaitable[Response]]
Rerender = Callable[[Request, dict[str, str]], Awaitable[Response]]
_FORM_KEY = "club.refusal_form"


def shows_refusals(rerender: Rerender) -> Callable[[Handler], Handler]:
    """Names how a page handler's form shows a refusal: `rerender(request, errors by field)` answers it.

    The handler itself just lets the `DomainError` rise; the app's one registered handler
    (`refusal_response`) turns it into this form re-rendered, or the 404 page when the record is
    missing or not the actor's. `rerender` gets the handler's own request, so `await request.form()`
    gives back what was typed. A rerender that finds the form itself not for this actor raises a
    `DomainError`, and the first refusal is then answered plainly.
    """

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapped(request: Request) -> Response:
            request.scope[_FORM_KEY] = functools.partial(rerender, request)
            return await handler(request)

        return wrapped

    return decorate


async def refusal_response(request: Request, error: DomainError) -> Response | None:
    """The form of the page that refused, re-rendered with the errors; None when the refusal has no form
    to show on (then `http_error` answers it)."""
    rerender: Callable[[dict[str, str]], Awaitable[Response]] | None = request.scope.get(_FORM_KEY)
    if rerender is None or error.errors[0].code in (ErrorCode.NOT_FOUND, ErrorCode.UNAUTHENTICATED):
        return None
    del request.scope[_FORM_KEY]
    try:
        return await rerender(field_errors(error))
    except DomainError:
        return None  # the form itself is refused to this actor: the first refusal is answered plainly


def csv_download(filename: str, headings: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A CSV file with translated headings that Excel opens in Korean (UTF-8 with a byte-order mark)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeWriter(buffer)
    writer.writerow([gettext(h) for h in headings])
    writer.writerows(rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def form_number(value: object, maximum: int = MAX_WON) -> int | None:
    """A whole number as people type it: 1,000,000 or 1000000원; None when it is not one (or past `maximum`:
    then it names no row and no amount, and the page asks again or finds nothing)."""
    text = str(value or "").replace(",", "").replace("원", "").replace("₩", "").strip()
    # str.isdigit also takes ² and other digits int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def form_id(value: object) -> int | None:
    """The id of a row named in a form or a link; None when it cannot be one."""
    return form_number(value, MAX_ID)


def form_ids(values: Sequence[object]) -> list[int]:
    return [i for i in map(form_id, values) if i is not None]


def form_date(value: object) -> date | None:
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if in_calendar(day) else None


def form_time(value: object) -> datetime | None:
    """A moment from a datetime-local input; None when it is not one the calendar holds."""
    try:
        moment = datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return moment if in_calendar(moment) else None


class NoticeFirst(Exception):
    """The person has not accepted the current privacy notice: the page asks before anything else."""


async def require_page_actor(request: Request, *, notice_first: bool = True) -> Actor:
    """The signed-in person; one who has not accepted the current privacy notice is asked first, except on
    the pages of their own data (`notice_first=False`): seeing it and leaving need no consent."""
    actor = await current_actor(request)
    if actor is None:
        raise HTTPException(401)
    if notice_first and await notice.needs_acceptance(actor.user):
        raise NoticeFirst()
    return actor
