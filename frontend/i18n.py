"""Korean by default, English on request: Babel message catalogues, read at start-up.

Strings in code and templates are English msgids; `locale/ko/LC_MESSAGES/messages.po`
holds their Korean. The .po is compiled in memory, so no build step is needed.
"""

from __future__ import annotations

import contextvars
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
LANG_COOKIE = "lang"
_LOCALE_DIR = Path(__file__).parent / "locale"


def _load(language: str) -> NullTranslations:
    po_path = _LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


_TRANSLATIONS = {language: _load(language) for language in LANGUAGES}
_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def use_language(language: str) -> None:
    _current.set(language)


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return _TRANSLATIONS[_current.get()].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _TRANSLATIONS[_current.get()].ngettext(singular, plural, n)
