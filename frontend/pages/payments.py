"""Paying the SME's share: the card page (Stripe.js), and Stripe's webhook."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from frontend.render import form_token, read_form, render, require_page_actor, shows_refusals
from server.money import claim_queries, payments, stripe_webhooks
from server.platform.settings import StripeSettings
from web.middleware import content_security_policy

log = logging.getLogger("club.web")


async def _pay_refused(request: Request, errors: dict[str, str]) -> Response:
    """The claim cannot be paid now (already paid, expired, Stripe unreachable): the page says why."""
    claim = await claim_queries.get_claim(await require_page_actor(request), request.path_params["claim_id"])
    problem = " ".join(errors.values())
    return await render(request, "claims/pay.html", {"claim": claim, "problem": problem}, status_code=400)


@shows_refusals(_pay_refused)
async def pay_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    settings = request.app.state.settings
    claim_id = request.path_params["claim_id"]
    claim = await claim_queries.get_claim(actor, claim_id)
    await payments.start_claim_payment(actor=actor, claim_id=claim_id, payment_method=None)
    page = await render(request, "claims/pay.html", {"claim": claim, "stripe": settings.stripe})
    if settings.stripe is not None:
        page.headers["Content-Security-Policy"] = content_security_policy(stripe_sources(settings.stripe))
    return page


def stripe_sources(stripe: StripeSettings) -> dict[str, tuple[str, ...]]:
    """What Stripe.js loads, frames and calls (https://docs.stripe.com/security/guide#content-security-policy);
    with a fake API (localstripe), its own Stripe.js and API on that server."""
    if stripe.api_base:
        fake = _origin(stripe.api_base)
        return {"script-src": (fake,), "frame-src": (fake,), "connect-src": (fake,)}
    return {
        "script-src": ("https://js.stripe.com",),
        "frame-src": ("https://js.stripe.com", "https://hooks.stripe.com"),
        "connect-src": ("https://api.stripe.com",),
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _card_refused(request: Request, errors: dict[str, str]) -> Response:
    """Stripe.js reads this answer, not a page."""
    return JSONResponse({"error": " ".join(errors.values())}, status_code=400)


@shows_refusals(_card_refused)
async def pay(request: Request) -> Response:
    """Stripe.js posts the card's id here; the answer says whether the card asks for authentication."""
    actor = await require_page_actor(request)
    form = await read_form(request)
    started = await payments.start_claim_payment(
        actor=actor,
        claim_id=request.path_params["claim_id"],
        payment_method=str(form.get("payment_method", "")) or None,
        idempotency_key=form_token(form),
    )
    return JSONResponse({"clientSecret": started.client_secret})


async def stripe_webhook(request: Request) -> Response:
    payload = await request.body()
    try:
        await stripe_webhooks.receive_webhook(payload, request.headers.get("stripe-signature"))
    except stripe_webhooks.WebhookRejected as rejected:
        log.warning("stripe webhook refused: %s", rejected)
        return PlainTextResponse("Refused: not a valid, fresh, signed Stripe event.", status_code=400)
    return PlainTextResponse("ok")


def routes() -> list[Route]:
    return [
        Route("/claims/{claim_id:int}/pay", pay_page, methods=["GET"]),
        Route("/claims/{claim_id:int}/pay", pay, methods=["POST"]),
        Route("/stripe/webhook", stripe_webhook, methods=["POST"]),
    ]
