"""The language of GraphQL messages: the pages' `lang` cookie, else Accept-Language, else Korean.

Domain messages are English msgids (server.errors); they are translated through the pages' catalogue.
"""

from __future__ import annotations

import contextvars

from starlette.requests import Request

from frontend.i18n import DEFAULT_LANGUAGE, LANG_COOKIE, LANGUAGES, gettext, use_language


def _accepted(header: str) -> str | None:
    """The language of ours the Accept-Language header likes best, if it names one."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                continue
        language = tag.split("-")[0].strip().lower()
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def request_language(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    return _accepted(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE


def _in(language: str, message: str) -> str:
    use_language(language)
    return gettext(message)


def translate(language: str, message: str) -> str:
    # In a copy of the context: the language chosen for one message does not stay set for the request.
    return contextvars.copy_context().run(_in, language, message)
