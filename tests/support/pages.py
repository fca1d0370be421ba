"""Using the pages as a browser without JavaScript would: GET a form, POST it with its CSRF token."""

from __future__ import annotations

import re

import httpx


async def csrf_from(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no form on {path}: {page.status_code}"
    return found.group(1)


async def submit(
    client: httpx.AsyncClient, form_page: str, action: str, data: dict[str, str]
) -> httpx.Response:
    token = await csrf_from(client, form_page)
    return await client.post(action, data={**data, "csrf_token": token})


async def sign_in_page(client: httpx.AsyncClient, email: str, password: str) -> None:
    response = await submit(client, "/signin", "/signin", {"email": email, "password": password})
    assert response.status_code == 303, response.text


async def sign_in_as(client: httpx.AsyncClient, email: str, password: str) -> None:
    """Another person at the same browser: a fresh session, then the sign-in form."""
    client.cookies.clear()
    await sign_in_page(client, email, password)
