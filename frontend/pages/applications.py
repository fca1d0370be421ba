"""Applying to join the club (public, no sign-in) and the secretariat's list and decision."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import confirmed, read_form, redirect, render, require_page_actor, shows_refusals
from server.membership import applications
from server.models import ApplicationStatus
from web.sessions import client_of

FIELDS = (
    "name_ko",
    "name_en",
    "business_number",
    "sector",
    "representative_name",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "signer_name",
    "signer_title",
)


async def apply_page(request: Request) -> Response:
    return await render(request, "applications/apply.html", {"form": {}, "errors": {}})


async def _apply_refused(request: Request, errors: dict[str, str]) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in FIELDS}
    return await render(
        request, "applications/apply.html", {"form": values, "errors": errors}, status_code=400
    )


@shows_refusals(_apply_refused)
async def apply(request: Request) -> Response:
    form = await read_form(request)
    await applications.apply_for_membership(
        applications.ApplicationForm(**{k: str(form.get(k, "")) for k in FIELDS}), client=client_of(request)
    )
    return await render(request, "applications/received.html")


def _status(value: str | None) -> ApplicationStatus | None:
    try:
        return ApplicationStatus(value) if value else None
    except ValueError:
        return None


async def application_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    status = _status(request.query_params.get("status", "open"))
    page = await applications.list_applications(
        actor, status=status, first=25, after=request.query_params.get("after")
    )
    context = {
        "page": page,
        "total": await page.total_count(),
        "status": status,
        "statuses": list(ApplicationStatus),
    }
    return await render(request, "applications/list.html", context)


async def _detail(request: Request, errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    actor = await require_page_actor(request)
    application = await applications.get_application(actor, request.path_params["application_id"])
    context = {"application": application, "errors": errors or {}}
    return await render(request, "applications/detail.html", context, status_code=status_code)


async def application_detail(request: Request) -> Response:
    return await _detail(request)


async def _decision_refused(request: Request, errors: dict[str, str]) -> Response:
    return await _detail(request, errors, status_code=400)


@shows_refusals(_decision_refused)
async def decide(request: Request) -> Response:
    """Admitting or declining cannot be undone: the first post shows what will happen, the second acts."""
    actor = await require_page_actor(request)
    application_id = request.path_params["application_id"]
    form = await read_form(request)
    admit = form.get("decision") == "admit"
    reason = str(form.get("reason", ""))
    if not confirmed(form):
        application = await applications.get_application(actor, application_id)
        if not admit and not reason.strip():
            return await _detail(request, {"reason": "Give the reason for declining."}, status_code=400)
        context = {"application": application, "admit": admit, "reason": reason}
        return await render(request, "applications/confirm.html", context)
    await applications.decide_membership_application(
        actor=actor, application_id=application_id, admit=admit, reason=reason
    )
    return redirect(f"/applications/{application_id}")


def routes() -> list[Route]:
    return [
        Route("/apply", apply_page, methods=["GET"]),
        Route("/apply", apply, methods=["POST"]),
        Route("/applications", application_list),
        Route("/applications/{application_id:int}", application_detail),
        Route("/applications/{application_id:int}/decide", decide, methods=["POST"]),
    ]
