"""Escrow proof pages: an SME's deposits and their fingerprints, and the public check of a file."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import (
    form_date,
    form_id,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.money import escrow_contracts
from server.protection import deposits
from server.protection.deposits import DepositedFile


async def deposit_list(request: Request, errors: dict[str, str] | None = None) -> Response:
    actor = await require_page_actor(request)
    page = await deposits.list_deposits(actor, first=50, after=request.query_params.get("after"))
    outside = await escrow_contracts.outside_contracts(actor, first=50)
    return await render(
        request,
        "protection/deposits.html",
        {"page": page, "outside": outside, "errors": errors},
        status_code=400 if errors else 200,
    )


async def _list(request: Request) -> Response:
    return await deposit_list(request)


@shows_refusals(deposit_list)
async def record(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    files = [
        DepositedFile(str(n), form_id(s) or 0, str(d))
        for n, s, d in zip(
            form.getlist("fp_name"), form.getlist("fp_size"), form.getlist("fp_sha256"), strict=False
        )
    ]
    await deposits.record_escrow_deposit(
        actor=actor,
        claim_id=form_id(form.get("claim")) or 0,
        certificate_number=str(form.get("certificate_number", "")),
        deposited_on=form_date(form.get("deposited_on")),
        files=files,
    )
    return redirect("/deposits?recorded=1")


@shows_refusals(deposit_list)
async def record_outside(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    await escrow_contracts.record_outside_escrow_contract(
        actor=actor,
        contract_number=str(form.get("contract_number", "")),
        ends_on=form_date(form.get("ends_on")),
    )
    return redirect("/deposits?recorded=1")


async def verify_form(request: Request) -> Response:
    return await render(request, "protection/verify.html", {})


async def _verify_refused(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "protection/verify.html", {"errors": errors}, status_code=400)


@shows_refusals(_verify_refused)
async def verify(request: Request) -> Response:
    """Open to anyone holding a file: the answer is only "deposited on <date>" or "no record"."""
    form = await read_form(request)
    found = await deposits.verify_deposit(str(form.get("sha256", "")))
    return await render(request, "protection/verify.html", {"checked": True, "found": found})


def routes() -> list[Route]:
    return [
        Route("/deposits", _list, methods=["GET"]),
        Route("/deposits", record, methods=["POST"]),
        Route("/deposits/outside", record_outside, methods=["POST"]),
        Route("/verify", verify_form, methods=["GET"]),
        Route("/verify", verify, methods=["POST"]),
    ]
