"""A proxy in front of localstripe that keeps Stripe's idempotency promise, and counts what reached Stripe.

Real Stripe answers a repeated `Idempotency-Key` with the stored answer of
its first use and moves no money again; localstripe ignores the header. A
test that proves "no second charge or refund after a crash" therefore talks
to Stripe through this proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn

from tests.support.smtp import free_port


class ReplayingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.forwarded: list[tuple[str, str]] = []  # (method, path) of each request that reached Stripe
        self._locks: dict[str, asyncio.Lock] = {}
        # Requests whose path ends so reach Stripe, but their answer is never sent back: the caller
        # hangs right after Stripe acted, where a test can kill it.
        self.hold: set[str] = set()
        self.held = asyncio.Event()
        self.released = asyncio.Event()

    def posts_to(self, suffix: str) -> int:
        return sum(1 for method, path in self.forwarded if method == "POST" and path.endswith(suffix))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        key = headers.get("idempotency-key") if scope["method"] == "POST" else None
        if key is None:
            status, content = await self._forward(scope, headers, body)
        else:
            async with self._locks.setdefault(key, asyncio.Lock()):
                if key not in self.answers:
                    self.answers[key] = await self._forward(scope, headers, body)
                status, content = self.answers[key]
        if scope["method"] == "POST" and any(scope["path"].endswith(suffix) for suffix in self.hold):
            self.held.set()
            await self.released.wait()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": content})

    async def _forward(
        self, scope: dict[str, Any], headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        self.forwarded.append((scope["method"], scope["path"]))
        query = scope["query_string"].decode()
        url = f"{self.upstream}{scope['path']}" + (f"?{query}" if query else "")
        keep = {k: v for k, v in headers.items() if k in ("authorization", "content-type", "stripe-version")}
        async with httpx.AsyncClient() as http:
            answer = await http.request(scope["method"], url, content=body, headers=keep)
        return answer.status_code, answer.content


@contextlib.asynccontextmanager
async def replaying_proxy(upstream: str) -> AsyncIterator[tuple[str, ReplayingProxy]]:
    proxy = ReplayingProxy(upstream)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(proxy, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        proxy.released.set()  # a held answer goes to its (dead) caller, so that the server can stop
        server.should_exit = True
        await task
