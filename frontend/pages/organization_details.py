"""An organisation's own details (names, address, contact), changed by those who manage it."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import read_form, redirect, render, require_page_actor, shows_refusals
from server.membership import organizations
from server.membership.organization_details import OrganizationDetails, update_organization
from server.platform.policy import may_manage_organization

DETAILS = (
    "name_ko",
    "name_en",
    "sector",
    "representative_name",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
)


async def _edit_form(request: Request, errors: dict[str, str], status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    organization = await organizations.get_organization(actor, request.path_params["organization_id"])
    if not may_manage_organization(actor, organization.id):
        raise HTTPException(404)
    context = {"organization": organization, "errors": errors}
    return await render(request, "organizations/edit.html", context, status_code=status_code)


async def edit_page(request: Request) -> Response:
    return await _edit_form(request, {})


async def _edit_refused(request: Request, errors: dict[str, str]) -> Response:
    return await _edit_form(request, errors, status_code=400)


@shows_refusals(_edit_refused)
async def edit_details(request: Request) -> Response:
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    form = await read_form(request)
    details = OrganizationDetails(**{k: str(form.get(k, "")) for k in DETAILS})
    await update_organization(actor=actor, organization_id=organization_id, details=details)
    return redirect(f"/organizations/{organization_id}")


def routes() -> list[Route]:
    return [
        Route("/organizations/{organization_id:int}/edit", edit_page, methods=["GET"]),
        Route("/organizations/{organization_id:int}/details", edit_details, methods=["POST"]),
    ]
