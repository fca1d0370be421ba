"""Secret links in mail (invitations, calendar feeds, password resets) shown with their secret hidden.

A mail body holds one-time links that act for the person they were sent to. Everything that shows
a mail to someone other than its recipient — the `/mail` page, GraphQL — passes it through `redact`
(the log in production shows no body at all). A feature that mails a secret link adds its path here, in this one list;
a test checks that every page route taking a `token` or `secret` is covered.
"""

from __future__ import annotations

import re

# The path before the secret; the secret is the rest of the link.
SECRET_LINK_PATHS: list[str] = [
    "/invitations/",
    "/calendar/",
    "/password/reset/",
]

HIDDEN = "[hidden]"
# A secret is URL-safe text; it ends at whitespace or at punctuation that cannot be part of it.
_LINK_TAIL = r"[^\s<>\"'()\[\]]+"


def _pattern() -> re.Pattern[str]:
    paths = "|".join(re.escape(path) for path in SECRET_LINK_PATHS)
    return re.compile(rf"(?P<path>{paths}){_LINK_TAIL}")


def redact(text: str) -> str:
    """The text with the secret part of every known secret link replaced by `[hidden]`."""
    return _pattern().sub(lambda m: m.group("path") + HIDDEN, text)
