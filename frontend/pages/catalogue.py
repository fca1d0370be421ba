"""Pages for the service catalogue: the list, a service's page with its price history, the secretariat's changes."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import (
    confirmed,
    form_date,
    form_number,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.models import ServiceCode
from server.money import catalogue, catalogue_queries

HISTORY_SIZE = 20


def _service_input(form: FormData) -> catalogue.ServiceInput:
    return catalogue.ServiceInput(
        name_ko=str(form.get("name_ko", "")),
        name_en=str(form.get("name_en", "")),
        provider=str(form.get("provider", "")),
        billing_unit=str(form.get("billing_unit", "")),
        max_quantity=form_number(form.get("max_quantity"), maximum=catalogue.MAX_QUANTITY) or 0,
    )


def _price(form: FormData, name: str) -> int:
    """A blank or unreadable entry is a mistake to show, not a price of zero."""
    value = form_number(form.get(name))
    return -1 if value is None else value


async def services_page(
    request: Request, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    actor = await require_page_actor(request)
    form = dict(await read_form(request)) if request.method == "POST" else {"max_quantity": "1"}
    context = {
        "services": await catalogue_queries.list_services(actor),
        "codes": list(ServiceCode),
        "form": form,
        "errors": errors,
    }
    return await render(request, "catalogue/list.html", context, status_code=status_code)


@shows_refusals(lambda request, errors: services_page(request, errors, status_code=400))
async def create(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    code = str(form.get("code", ""))
    created = await catalogue.create_service(
        actor=actor,
        code=ServiceCode(code) if code in set(ServiceCode) else ServiceCode.GUARD_SUBSCRIPTION,
        data=_service_input(form),
        list_price=_price(form, "list_price"),
        per_item_price=_price(form, "per_item_price") if form.get("per_item_price") else 0,
    )
    return redirect(f"/services/{created.id}?saved=1")


async def detail(
    request: Request,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    confirm: str | None = None,
) -> Response:
    actor = await require_page_actor(request)
    service_id = request.path_params["service_id"]
    service = await catalogue_queries.get_service(actor, service_id)
    history = await catalogue_queries.price_history(
        actor, service_id, first=HISTORY_SIZE, after=request.query_params.get("after")
    )
    form = dict(await read_form(request)) if request.method == "POST" else {}
    context = {
        "service": service,
        "history": history,
        "today": catalogue.today(),
        "form": form,
        "errors": errors,
        "confirm": confirm,
    }
    return await render(request, "catalogue/detail.html", context, status_code=status_code)


@shows_refusals(lambda request, errors: detail(request, errors, status_code=400))
async def act(request: Request) -> Response:
    """Rename, set a price from a date, or retire (after a confirmation)."""
    actor = await require_page_actor(request)
    service_id = request.path_params["service_id"]
    action = request.path_params["action"]
    form = await read_form(request)
    if action == "update":
        await catalogue.update_service(actor=actor, service_id=service_id, data=_service_input(form))
    elif action == "price":
        await catalogue.set_service_price(
            actor=actor,
            service_id=service_id,
            list_price=_price(form, "list_price"),
            per_item_price=_price(form, "per_item_price") if form.get("per_item_price") else 0,
            effective_on=form_date(form.get("effective_on")),
        )
    elif action == "retire":
        if not confirmed(form):
            return await detail(request, confirm="retire")
        await catalogue.retire_service(actor=actor, service_id=service_id)
    else:
        raise HTTPException(404)
    return redirect(f"/services/{service_id}?saved=1")


def routes() -> list[Route]:
    return [
        Route("/services", services_page, methods=["GET"]),
        Route("/services", create, methods=["POST"]),
        Route("/services/{service_id:int}", detail, methods=["GET"]),
        Route("/services/{service_id:int}/{action:str}", act, methods=["POST"]),
    ]
