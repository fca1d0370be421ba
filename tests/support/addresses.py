"""Browsers at chosen client addresses, on one app, for the limits kept per address."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx

from server.platform.settings import Settings
from web.app import create_app

Browser = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


def browsers_at(settings: Settings) -> Browser:
    """`async with at("203.0.113.9") as client:` a client whose requests come from that address."""
    app = create_app(settings, run_workers=False)

    @asynccontextmanager
    async def at(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http

    return at
