"""Signing in and out (password and single sign-on), accepting invitations, switching."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.i18n import LANG_COOKIE, LANGUAGES, gettext
from frontend.render import form_id, read_form, redirect, render, require_page_actor, shows_refusals
from server.accounts import signin as accounts
from server.membership import invitations, partners
from server.membership.organization_details import OrganizationDetails, update_organization
from server.platform.errors import DomainError
from server.platform.settings import Settings
from server.privacy import notice
from web.sessions import client_of, current_actor, end_session, start_session, switch_session

SME_DETAILS = ("sector", "representative_name", "address", "contact_phone")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a crafted link cannot send people elsewhere after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


async def sign_in_page(request: Request) -> Response:
    if await current_actor(request):
        return redirect("/")
    return await render(request, "sign_in.html", {"next": _safe_next(request.query_params.get("next"))})


async def _sign_in_refused(request: Request, errors: dict[str, str]) -> Response:
    form = await request.form()
    context = {
        "errors": errors,
        "email": str(form.get("email", "")),
        "next": _safe_next(str(form.get("next", "/"))),
    }
    return await render(request, "sign_in.html", context, status_code=400)


@shows_refusals(_sign_in_refused)
async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    user = await accounts.sign_in(
        str(form.get("email", "")),
        str(form.get("password", "")),
        client=client_of(request),
        limits=request.app.state.settings.sign_in_limits,
    )
    actor = await accounts.landing_actor(user)
    await start_session(request, actor)
    return redirect(_safe_next(str(form.get("next", "/"))))


async def sign_out(request: Request) -> Response:
    await read_form(request)
    await end_session(request)
    return redirect("/signin")


async def switch(request: Request) -> Response:
    form = await read_form(request)
    actor = await require_page_actor(request)
    try:
        switched = await accounts.switch_organization(actor, form_id(form.get("organization_id")) or 0)
    except (DomainError, ValueError):
        return redirect("/")
    await switch_session(request, switched)
    return redirect("/")


async def set_language(request: Request) -> Response:
    language = request.path_params["language"]
    response = redirect(_safe_next(request.query_params.get("next")))
    if language in LANGUAGES:
        response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


async def _invitation_form(request: Request, errors: dict[str, str] | None = None) -> Response:
    """The invitation with its form; a used or expired link is refused by the registered handler."""
    invitation = await invitations.open_invitation(request.path_params["token"])
    form = await request.form() if request.method == "POST" else {}
    context = {
        "invitation": invitation,
        "known": await invitations.has_account(invitation),
        "notice": await notice.current_notice(),
        "errors": errors or {},
        "name": str(form.get("name", "")),
    }
    return await render(request, "invitation.html", context, status_code=400 if errors else 200)


async def _invitation_gone(request: Request, errors: dict[str, str]) -> Response:
    return await render(request, "invitation.html", {"problem": errors.get("")}, status_code=400)


@shows_refusals(_invitation_gone)
async def invitation_page(request: Request) -> Response:
    return await _invitation_form(request)


@shows_refusals(_invitation_form)
async def accept_invitation(request: Request) -> Response:
    form = await read_form(request)
    accepted = await invitations.accept_invitation(
        request.path_params["token"],
        name=str(form.get("name", "")),
        password=str(form.get("password", "")),
        privacy_notice_version=form_id(form.get("privacy_notice_version")),
    )
    actor = await start_session(request, accepted.actor)
    if accepted.partnership_id is None:
        return redirect("/?joined=1")  # the dashboard says what to do first
    # A partner invitation: the person is now the SME's representative and answers for it.
    decide = (
        partners.decline_partnership if form.get("decision") == "decline" else partners.accept_partnership
    )
    with contextlib.suppress(DomainError):  # already answered by a colleague: the page shows how
        await decide(actor=actor, partnership_id=accepted.partnership_id)
    if form.get("decision") == "decline":
        return redirect("/partnerships")
    # The company was created by the enrolment with little more than its name: its first representative
    # fills in what the sponsor did not know, then sees what the club offers.
    details = {k: str(form.get(k, "")) for k in SME_DETAILS if form.get(k)}
    if details:
        await update_organization(
            actor=actor, organization_id=actor.organization.id, details=OrganizationDetails(**details)
        )
    return redirect("/welcome")


def sso_routes(settings: Settings) -> list[Route]:
    """Company single sign-on (OpenID Connect), present only when OIDC_* is configured."""
    if settings.oidc is None:
        return []
    oauth = OAuth()
    oauth.register(
        "company",
        client_id=settings.oidc.client_id,
        client_secret=settings.oidc.client_secret,
        server_metadata_url=settings.oidc.metadata_url,
        client_kwargs={"scope": "openid email profile"},
    )

    async def start(request: Request) -> Response:
        response: Response = await oauth.company.authorize_redirect(
            request, f"{settings.base_url}/sso/callback"
        )
        return response

    @shows_refusals(_sso_refused)
    async def callback(request: Request) -> Response:
        try:
            token = await oauth.company.authorize_access_token(request)
        except OAuthError:
            return await render(request, "sign_in.html", {"errors": {"": _sso_failed()}}, status_code=400)
        claims = token.get("userinfo") or {}
        user = await invitations.user_for_sso(
            subject=f"{settings.oidc.issuer}|{claims['sub']}",  # type: ignore[union-attr]
            email=claims.get("email"),
            email_verified=bool(claims.get("email_verified")),
            name=str(claims.get("name") or ""),
        )
        await start_session(request, await accounts.landing_actor(user))
        return redirect("/")

    return [Route("/sso/start", start), Route("/sso/callback", callback)]


async def _sso_refused(request: Request, errors: dict[str, str]) -> Response:
    """Signed in at the company but not known here (or no longer a member): said on the sign-in page."""
    return await render(request, "sign_in.html", {"errors": errors}, status_code=403)


def _sso_failed() -> str:
    return gettext("Single sign-on did not complete. Try again.")


def routes(settings: Settings) -> list[Route]:
    return [
        Route("/signin", sign_in_page, methods=["GET"]),
        Route("/signin", sign_in, methods=["POST"]),
        Route("/signout", sign_out, methods=["POST"]),
        Route("/switch", switch, methods=["POST"]),
        Route("/lang/{language}", set_language),
        Route("/invitations/{token}", invitation_page, methods=["GET"]),
        Route("/invitations/{token}", accept_invitation, methods=["POST"]),
        *sso_routes(settings),
    ]
