"""Small ASGI middlewares: the application's settings for the domain, a cap on request bodies, a refusal of NUL in addresses and the security headers
of every response."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.platform import config
from server.platform.settings import Settings
from server.platform.text import has_odd_characters


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Answer 413 when a request body passes `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send)


async def _too_large(send: Send) -> None:
    await _plain(send, 413, "Request body too large.")


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RefuseNulInAddress:
    """Answer 400 to a path or query string carrying a NUL character (raw or %00).

    No page takes one, PostgreSQL refuses it in text, and every path and query parameter of every page
    is decoded from these two, so they are refused here once rather than in each handler. Form bodies
    are checked where forms are read (frontend.render.read_form), JSON where GraphQL decodes variables.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            await _plain(send, 400, "Bad request: an address may not contain a NUL character.")
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    query = scope.get("query_string", b"").lower()
    return has_odd_characters(scope["path"]) or b"%00" in query or b"\x00" in query


# Pages run no inline script or style and load nothing from elsewhere; a page that needs more (the card
# page and Stripe.js) sends its own policy, built by `content_security_policy`, which this one does not
# replace. form-action 'self' holds for single sign-on too: it starts from a link, not a form.
BASE_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": ("'none'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The pages' policy, with more sources for some directives (a 'none' gives way to them)."""
    directives = dict(BASE_POLICY)
    for name, sources in (extra or {}).items():
        directives[name] = (*(s for s in directives.get(name, ()) if s != "'none'"), *sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeaders:
    """The headers of every response. Everything but static files is personal or a form, so none of it
    is stored by a browser or a proxy (no-store), whoever asked; HSTS only where the site is on HTTPS."""

    def __init__(self, app: ASGIApp, *, production: bool = False) -> None:
        self.app = app
        self.production = production
        self.policy = content_security_policy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        # GraphiQL (development only) runs inline script from a CDN: it keeps no policy of ours.
        with_policy = self.production or path != "/graphql"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                if with_policy:
                    headers.setdefault("Content-Security-Policy", self.policy)
                if not path.startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
                if self.production:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)


class ServesSettings:
    """Every call into this application (requests, and the lifespan with its workers) reads this
    application's settings through `server.platform.config.settings()`, even beside another application in one process."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with config.serving(self.settings):
            await self.app(scope, receive, send)
