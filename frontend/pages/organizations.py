"""The secretariat's organisation, membership and invitation pages."""

from __future__ import annotations

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.models import Model

from frontend.pages.audit import history_section
from frontend.render import (
    confirmed,
    form_date,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.membership import declaration, invitations, organizations
from server.membership import members as people
from server.models import MembershipStatus, OrganizationKind, RoleKind
from server.platform.errors import invalid
from server.platform.policy import (
    may_invite_to,
    may_manage_organization,
    may_see_people,
    may_sign_declaration,
    roles_for,
)
from server.platform.timeutil import now

MEMBERS_PAGE = 100

# Changes a member would not want by accident; they ask for confirmation first.
_NEEDS_CONFIRMATION = {MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN}


def _kind(value: str | None) -> OrganizationKind | None:
    try:
        return OrganizationKind(value) if value else None
    except ValueError:
        return None


async def organization_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    params = request.query_params
    kind = _kind(params.get("kind"))
    page = await organizations.list_organizations(
        actor, kind=kind, search=params.get("q"), first=25, after=params.get("after")
    )
    memberships = await organizations.memberships_by_organization([o.id for o in page.items])
    context = {
        "page": page,
        "total": await page.total_count(),
        "memberships": memberships,
        "kind": kind,
        "q": params.get("q", ""),
    }
    return await render(request, "organizations/list.html", context)


async def new_organization_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_secretariat:
        raise HTTPException(403)
    return await render(request, "organizations/new.html", {"form": {}})


_FIELDS = ("kind", "name_ko", "name_en", "business_number", "sector")


async def _create_refused(request: Request, errors: dict[str, str]) -> Response:
    form = await request.form()
    context = {"form": {k: str(form.get(k, "")) for k in _FIELDS}, "errors": errors}
    return await render(request, "organizations/new.html", context, status_code=400)


@shows_refusals(_create_refused)
async def create_organization(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    values = {k: str(form.get(k, "")) for k in _FIELDS}
    kind = _kind(values["kind"])
    if kind is None:
        raise invalid("kind", "Choose the kind of organisation.")
    organization = await organizations.create_organization(
        actor=actor,
        kind=kind,
        name_ko=values["name_ko"],
        name_en=values["name_en"],
        business_number=values["business_number"],
        sector=values["sector"],
    )
    return redirect(f"/organizations/{organization.id}?created=1")


async def _detail(
    request: Request, organization_id: int, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    actor = await require_page_actor(request)
    organization = await organizations.get_organization(actor, organization_id)
    membership = (await organizations.memberships_by_organization([organization.id])).get(organization.id)
    colleagues = may_invite_to(actor, organization.id)
    signings = (await declaration.signings_by_organization([organization.id]))[organization.id]
    records: list[Model] = [organization, *([membership] if membership else []), *signings]
    members = await people.list_members(
        actor, organization.id, first=MEMBERS_PAGE, after=request.query_params.get("after")
    )
    context = {
        "organization": organization,
        "membership": membership,
        "members": members,
        "invitations": await invitations.invitations_of(actor, organization.id) if colleagues else [],
        "may_invite": colleagues,
        "may_manage": may_manage_organization(actor, organization.id),
        "may_see_people": may_see_people(actor, organization.id),
        "may_sign": may_sign_declaration(actor, organization.id),
        "signings": signings,
        "invite_roles": roles_for(organization.kind),
        "current_version": (await declaration.current_text()).version,
        "errors": errors or {},
        "today": date.today().isoformat(),
        "statuses": list(MembershipStatus),
        "now_utc": now(),
        **await history_section(request, actor, records, organization.id),
    }
    return await render(request, "organizations/detail.html", context, status_code=status_code)


async def _refused(request: Request, errors: dict[str, str]) -> Response:
    return await _detail(request, request.path_params["organization_id"], errors=errors, status_code=400)


async def organization_detail(request: Request) -> Response:
    return await _detail(request, request.path_params["organization_id"])


@shows_refusals(_refused)
async def change_membership(request: Request) -> Response:
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    form = await read_form(request)
    try:
        status = MembershipStatus(str(form.get("status", "")))
    except ValueError:
        return await _detail(request, organization_id, errors={"status": "?"}, status_code=400)
    if status in _NEEDS_CONFIRMATION and not confirmed(form):
        organization = await organizations.get_organization(actor, organization_id)
        return await render(
            request, "organizations/confirm_membership.html", {"organization": organization, "status": status}
        )
    await organizations.change_membership(actor=actor, organization_id=organization_id, status=status)
    return redirect(f"/organizations/{organization_id}")


@shows_refusals(_refused)
async def sign_declaration(request: Request) -> Response:
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    form = await read_form(request)
    signed_on = form_date(form.get("signed_on"))
    if signed_on is None:
        raise invalid("signedOn", "Enter the signing date.")
    record = (
        organizations.reaffirm_declaration
        if form.get("reaffirm") == "yes"
        else organizations.sign_declaration
    )
    await record(
        actor=actor,
        organization_id=organization_id,
        signed_on=signed_on,
        signer_name=str(form.get("signer_name", "")),
        signer_title=str(form.get("signer_title", "")),
        pledges=(
            form.get("pledge_partnership") == "on",
            form.get("pledge_infrastructure") == "on",
            form.get("pledge_fair_dealing") == "on",
            form.get("pledge_awareness") == "on",
        ),
    )
    return redirect(f"/organizations/{organization_id}")


@shows_refusals(_refused)
async def invite(request: Request) -> Response:
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    form = await read_form(request)
    try:
        role = RoleKind(str(form.get("role", "")))
    except ValueError as exc:
        raise invalid("role", "Choose a role.") from exc
    await invitations.invite_user(
        actor=actor,
        email=str(form.get("email", "")),
        organization_id=organization_id,
        role=role,
    )
    return redirect(f"/organizations/{organization_id}?invited=1")


@shows_refusals(_refused)
async def remove_member(request: Request) -> Response:
    """Asks for confirmation first: the person loses access to the organisation at once."""
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    user_id = request.path_params["user_id"]
    form = await read_form(request)
    if not confirmed(form):
        member = await people.member_of(actor, organization_id, user_id)
        return await render(
            request,
            "organizations/confirm_remove.html",
            {"member": member, "organization_id": organization_id},
        )
    await people.remove_member(actor=actor, organization_id=organization_id, user_id=user_id)
    if user_id == actor.user.id:
        return redirect("/")  # they left: this organisation is no longer theirs to see
    return redirect(f"/organizations/{organization_id}?removed=1#people")


@shows_refusals(_refused)
async def change_role(request: Request) -> Response:
    actor = await require_page_actor(request)
    organization_id = request.path_params["organization_id"]
    form = await read_form(request)
    try:
        role = RoleKind(str(form.get("role", "")))
    except ValueError as exc:
        raise invalid("role", "Choose a role.") from exc
    await people.change_member_role(
        actor=actor, organization_id=organization_id, user_id=request.path_params["user_id"], role=role
    )
    return redirect(f"/organizations/{organization_id}#people")


def routes() -> list[Route]:
    return [
        Route("/organizations", organization_list),
        Route("/organizations/new", new_organization_page, methods=["GET"]),
        Route("/organizations/new", create_organization, methods=["POST"]),
        Route("/organizations/{organization_id:int}", organization_detail),
        Route("/organizations/{organization_id:int}/membership", change_membership, methods=["POST"]),
        Route("/organizations/{organization_id:int}/declaration", sign_declaration, methods=["POST"]),
        Route("/organizations/{organization_id:int}/invitations", invite, methods=["POST"]),
        Route(
            "/organizations/{organization_id:int}/members/{user_id:int}/role", change_role, methods=["POST"]
        ),
        Route(
            "/organizations/{organization_id:int}/members/{user_id:int}/remove",
            remove_member,
            methods=["POST"],
        ),
    ]
