"""Pages for cost-sharing commitments."""

from __future__ import annotations

from datetime import timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.charts import bar_chart
from frontend.i18n import gettext
from frontend.pages.audit import history_section
from frontend.pages.reports import short_won
from frontend.render import (
    confirmed,
    form_date,
    form_ids,
    form_number,
    form_token,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server import dashboard
from server.models import CommitmentStatus, SupplierTier
from server.money import catalogue_queries, commitment_figures, commitments
from server.money.claim_eligibility import claim_refusals
from server.money.claim_list import list_claims
from server.money.claim_queries import ClaimFilter, ClaimOrder
from server.money.commitment_list import list_commitments
from server.platform.timeutil import in_seoul, now

PAGE_SIZE = 20


async def commitment_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    status = request.query_params.get("status")
    page = await list_commitments(
        actor,
        status=CommitmentStatus(status) if status in set(CommitmentStatus) else None,
        first=PAGE_SIZE,
        after=request.query_params.get("after"),
    )
    quotes = (
        {c.id: commitment_figures.quotes(c, list(c.services)) for c in page.items}
        if actor.is_sme_representative
        else {}
    )
    refusals = (
        await claim_refusals(actor.organization.id, [(c, list(c.services)) for c in page.items])
        if actor.is_sme_representative
        else {}
    )
    context = {
        "page": page,
        "quotes": quotes,
        "refusals": refusals,
        "statuses": list(CommitmentStatus),
        "status": status,
        "standing": await dashboard.standing_notice(actor),
        "paused_sponsors": await dashboard.sponsors_out_of_standing(actor),
    }
    return await render(request, "commitments/list.html", context)


async def new_commitment(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_coordinator:
        raise HTTPException(403)
    today = in_seoul(now()).date()
    form = {
        "period_start": str(today),
        "period_end": str(today + timedelta(days=364)),
        "share_percent": "100",
        "tiers": ["1"],
        "service_ids": [],
    }
    context = {
        "form": form,
        "services": await catalogue_queries.list_services(actor, active_only=True),
        "standing": await dashboard.standing_notice(actor),
    }
    return await render(request, "commitments/new.html", context)


_FIELDS = (
    "name",
    "period_start",
    "period_end",
    "share_percent",
    "budget",
    "cap_per_claim",
    "diagnosis_within_months",
    "max_claims_per_sme",
)


async def _create_refused(request: Request, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    form = await request.form()
    typed = {k: str(form.get(k, "")).strip() for k in _FIELDS}
    context = {
        "form": {
            **typed,
            "tiers": form.getlist("tiers"),
            "service_ids": form_ids(form.getlist("service_ids")),
        },
        "errors": errors,
        "services": await catalogue_queries.list_services(actor, active_only=True),
    }
    return await render(request, "commitments/new.html", context, status_code=400)


@shows_refusals(_create_refused)
async def create(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    values = {k: str(form.get(k, "")).strip() for k in _FIELDS}
    tiers = [str(t) for t in form.getlist("tiers")]
    service_ids = form_ids(form.getlist("service_ids"))

    def number(key: str) -> int | None:
        return form_number(values[key])

    data = commitments.CommitmentInput(
        name=values["name"],
        period_start=form_date(values["period_start"]),
        period_end=form_date(values["period_end"]),
        service_ids=service_ids,
        share_percent=number("share_percent"),
        budget=number("budget") or 0,
        eligible_tiers=[SupplierTier(int(t)) for t in tiers if t in ("1", "2")],
        # An entry that is not a number stays a mistake rather than silently meaning "no cap".
        cap_per_claim=None if not values["cap_per_claim"] else (number("cap_per_claim") or -1),
        diagnosis_within_months=None
        if not values["diagnosis_within_months"]
        else (number("diagnosis_within_months") or -1),
        max_claims_per_sme=None if not values["max_claims_per_sme"] else (number("max_claims_per_sme") or -1),
    )
    created = await commitments.create_commitment(actor=actor, data=data, idempotency_key=form_token(form))
    return redirect(f"/commitments/{created.id}")


async def detail(request: Request, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    commitment = await commitments.get_commitment(actor, request.path_params["commitment_id"])
    services = await commitment_figures.services_of(commitment)
    spend = await commitment_figures.spend_by_month(commitment)
    chart = bar_chart(
        [(m.month, m.cumulative) for m in spend],
        limit=commitment.budget,
        label=short_won,
        title=gettext("Spend to date by month, against the budget"),
        series=gettext("Spent to date"),
        limit_name=gettext("Budget"),
    )
    recent = None
    if not actor.is_sme_representative:
        recent = await list_claims(
            actor,
            ClaimFilter(commitment_id=commitment.id),
            order=ClaimOrder.NEWEST,
            first=10,
            with_total=False,
        )
    context = {
        "commitment": commitment,
        "services": services,
        "quotes": commitment_figures.quotes(commitment, services),
        "refusals": (
            await claim_refusals(actor.organization.id, [(commitment, services)])
            if actor.is_sme_representative
            else {}
        ),
        "spend": spend,
        "chart": chart,
        "recent": recent,
        "errors": errors,
        "standing": commitment.conglomerate.membership.status.value if actor.is_coordinator else None,
        **await history_section(request, actor, [commitment], commitment.conglomerate_id),
    }
    return await render(request, "commitments/detail.html", context, status_code=status_code)


@shows_refusals(lambda request, errors: detail(request, errors, status_code=400))
async def act(request: Request) -> Response:
    """Activate, top up or close (after a confirmation page)."""
    actor = await require_page_actor(request)
    commitment_id = request.path_params["commitment_id"]
    action = request.path_params["action"]
    form = await read_form(request)
    key = form_token(form)
    if action == "activate":
        await commitments.activate_commitment(actor=actor, commitment_id=commitment_id, idempotency_key=key)
    elif action == "top-up":
        amount = form_number(form.get("amount")) or 0
        await commitments.top_up_commitment(
            actor=actor, commitment_id=commitment_id, amount=amount, idempotency_key=key
        )
    elif action == "close":
        if not confirmed(form):
            commitment = await commitments.get_commitment(actor, commitment_id)
            return await render(request, "commitments/confirm_close.html", {"commitment": commitment})
        await commitments.close_commitment(actor=actor, commitment_id=commitment_id, idempotency_key=key)
    else:
        raise HTTPException(404)
    return redirect(f"/commitments/{commitment_id}")


def routes() -> list[Route]:
    return [
        Route("/commitments", commitment_list, methods=["GET"]),
        Route("/commitments/new", new_commitment, methods=["GET"]),
        Route("/commitments", create, methods=["POST"]),
        Route("/commitments/{commitment_id:int}", detail, methods=["GET"]),
        Route("/commitments/{commitment_id:int}/{action:str}", act, methods=["POST"]),
    ]
