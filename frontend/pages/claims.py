"""Pages for claims: submitting, the review queue, deciding, paying by transfer, fulfilling, refunding."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.pages.audit import history_section
from frontend.render import (
    confirmed,
    form_date,
    form_id,
    form_number,
    form_token,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.models import ClaimStatus
from server.money import (
    claim_fulfilment,
    claim_queries,
    claims,
    commitment_figures,
    commitments,
    payments,
    receipts,
    transfers,
)
from server.money.catalogue import MAX_QUANTITY
from server.money.claim_list import list_claims
from server.money.claim_queries import ClaimFilter, ClaimOrder
from server.platform.timeutil import in_seoul, now

PAGE_SIZE = 30


async def claim_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    params = request.query_params
    status_text = params.get("status")
    if status_text is None and actor.is_coordinator:
        status_text = ClaimStatus.SUBMITTED.value  # a coordinator comes here to review
    status = ClaimStatus(status_text) if status_text in set(ClaimStatus) else None
    where = ClaimFilter(status=status, commitment_id=form_id(params.get("commitment")))
    order = ClaimOrder.OLDEST if status == ClaimStatus.SUBMITTED else ClaimOrder.NEWEST
    page = await list_claims(actor, where, order=order, first=PAGE_SIZE, after=params.get("after"))
    query = {"status": status_text or "", "commitment": params.get("commitment", "")}
    context = {
        "page": page,
        "total": await page.total_count(),
        "where": where,
        "statuses": list(ClaimStatus),
        "status_text": status_text,
        "query": query,
    }
    return await render(request, "claims/list.html", context)


async def new_claim(request: Request) -> Response:
    actor = await require_page_actor(request)
    commitment = await commitments.get_commitment(actor, form_id(request.query_params.get("commitment")) or 0)
    services = await commitment_figures.services_of(commitment)
    form = {"service_id": form_id(request.query_params.get("service")), "details": "", "quantity": 1}
    return await render(
        request, "claims/new.html", {"commitment": commitment, "services": services, "form": form}
    )


async def _submit_refused(request: Request, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    commitment = await commitments.get_commitment(actor, form_id(form.get("commitment_id")) or 0)
    context = {
        "commitment": commitment,
        "services": await commitment_figures.services_of(commitment),
        "form": {
            "service_id": form_id(form.get("service_id")),
            "details": str(form.get("details", "")),
            "quantity": str(form.get("quantity", "1")),
        },
        "errors": errors,
    }
    return await render(request, "claims/new.html", context, status_code=400)


@shows_refusals(_submit_refused)
async def submit(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    commitment_id = form_id(form.get("commitment_id")) or 0
    service_id = form_id(form.get("service_id"))
    details = str(form.get("details", ""))
    quantity = form_number(form.get("quantity") or "1", maximum=MAX_QUANTITY) or 0
    created = await claims.submit_claim(
        actor=actor,
        commitment_id=commitment_id,
        service_id=service_id or 0,
        details=details,
        quantity=quantity,
    )
    return redirect(f"/claims/{created.id}?submitted=1")


async def detail(request: Request) -> Response:
    return await _detail(request)


async def _detail(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    confirm: str | None = None,
    reason: str = "",
) -> Response:
    actor = await require_page_actor(request)
    claim = await claim_queries.get_claim(actor, request.path_params["claim_id"])
    context = {
        "claim": claim,
        "transfer": transfers.instructions(claim),
        "bank_transfers": await transfers.transfers_of(claim),
        "receipt": receipts.receipt_of(claim),
        "today": in_seoul(now()).date(),
        "form": dict(await read_form(request)) if request.method == "POST" else {},
        "payments": await payments.payments_of(claim),
        **await history_section(request, actor, [claim], claim.commitment.conglomerate_id, claim.sme_id),
        "card_payments": request.app.state.settings.stripe is not None,
        "errors": errors,
        "confirm": confirm,
        "reason": reason,
    }
    return await render(request, "claims/detail.html", context, status_code=status_code)


@shows_refusals(lambda request, errors: _detail(request, errors=errors, status_code=400))
async def act(request: Request) -> Response:
    """Every decision on a claim; destructive ones ask first (the form comes back with confirmed=yes)."""
    actor = await require_page_actor(request)
    claim_id = request.path_params["claim_id"]
    action = request.path_params["action"]
    form = await read_form(request)
    needs_confirmation = action in ("cancel", "refund", "reject")
    reason = str(form.get("reason", ""))
    if needs_confirmation and not confirmed(form):
        if action == "reject":
            claims.rejection_reason(reason)
        elif action == "refund":
            payments.refund_reason(reason)
        return await _detail(request, confirm=action, reason=reason)
    key = form_token(form)
    if action == "approve":
        await claims.approve_claim(actor=actor, claim_id=claim_id, idempotency_key=key)
    elif action == "reject":
        await claims.reject_claim(actor=actor, claim_id=claim_id, reason=reason, idempotency_key=key)
    elif action == "cancel":
        await claims.cancel_claim(actor=actor, claim_id=claim_id, idempotency_key=key)
    elif action == "transfer":
        received = transfers.TransferInput(
            amount=form_number(form.get("amount")) or 0,
            received_on=form_date(form.get("received_on")),
            depositor_name=str(form.get("depositor_name", "")),
        )
        await transfers.record_bank_transfer(
            actor=actor, claim_id=claim_id, data=received, idempotency_key=key
        )
    elif action == "fulfil":
        fulfilment = claim_fulfilment.Fulfilment(
            contract_number=str(form.get("contract_number", "")),
            contract_ends_on=form_date(form.get("contract_ends_on")),
            guard_starts_on=form_date(form.get("guard_starts_on")),
            guard_ends_on=form_date(form.get("guard_ends_on")),
        )
        await claim_fulfilment.fulfill_claim(
            actor=actor, claim_id=claim_id, fulfilment=fulfilment, idempotency_key=key
        )
    elif action == "refund":
        await payments.refund_claim(actor=actor, claim_id=claim_id, reason=reason, idempotency_key=key)
    else:
        raise HTTPException(404)
    return redirect(f"/claims/{claim_id}")


async def receipt(request: Request) -> Response:
    """The SME share's receipt, one printable page."""
    actor = await require_page_actor(request)
    found = await receipts.claim_receipt(actor, request.path_params["claim_id"])
    return await render(request, "claims/receipt.html", {"receipt": found, "claim": found.claim})


def routes() -> list[Route]:
    return [
        Route("/claims", claim_list, methods=["GET"]),
        Route("/claims/new", new_claim, methods=["GET"]),
        Route("/claims", submit, methods=["POST"]),
        Route("/claims/{claim_id:int}", detail, methods=["GET"]),
        Route("/claims/{claim_id:int}/receipt", receipt, methods=["GET"]),
        Route("/claims/{claim_id:int}/{action:str}", act, methods=["POST"]),
    ]
