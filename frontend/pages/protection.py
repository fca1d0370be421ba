"""The protection desk's pages: an SME opens and follows its case; the secretariat works the queue."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.render import (
    confirmed,
    form_date,
    form_id,
    read_form,
    redirect,
    render,
    require_page_actor,
    shows_refusals,
)
from server.models import CaseKind, CaseOutcome, CaseStatus, CaseUrgency, ReferralBody
from server.protection import case_queries, cases, deposits, handling, statistics
from server.protection.cases import CHECKLIST, CaseInput
from server.protection.evidence import MAX_UPLOAD_BYTES, EvidenceInput
from server.protection.handling import Referral

PAGE_SIZE = 30
OPEN = (CaseStatus.RECEIVED, CaseStatus.IN_CONSULTATION, CaseStatus.REFERRED)


E = TypeVar("E", bound=StrEnum)


def _choice(enum: type[E], value: object, default: E) -> E:
    return _maybe(enum, value) or default


def _maybe(enum: type[E], value: object) -> E | None:
    return enum(value) if isinstance(value, str) and value in {item.value for item in enum} else None


async def case_list(request: Request) -> Response:
    actor = await require_page_actor(request)
    status = _maybe(CaseStatus, request.query_params.get("status"))
    statuses = (status,) if status else OPEN if actor.is_secretariat else None
    page = await case_queries.list_cases(
        actor, statuses=statuses, first=PAGE_SIZE, after=request.query_params.get("after")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": list(CaseStatus),
        "overdue": case_queries.is_overdue,
    }
    return await render(request, "protection/list.html", context)


def _new_context(form: Mapping[str, object] | None = None) -> dict[str, object]:
    return {
        "kinds": list(CaseKind),
        "urgencies": list(CaseUrgency),
        "checklist": CHECKLIST,
        "form": form or {"checklist": []},
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }


async def new_case(request: Request) -> Response:
    actor = await require_page_actor(request)
    if not actor.is_sme_representative:
        raise HTTPException(404)
    return await render(request, "protection/new.html", _new_context())


def _case_form(form: FormData) -> CaseInput:
    return CaseInput(
        kind=_choice(CaseKind, form.get("kind"), CaseKind.OTHER),
        noticed_on=form_date(form.get("noticed_on")),
        technologies=str(form.get("technologies", "")),
        urgency=_choice(CaseUrgency, form.get("urgency"), CaseUrgency.NORMAL),
        description=str(form.get("description", "")),
        checklist=tuple(str(v) for v in form.getlist("checklist")),
    )


async def _evidence(form: FormData) -> list[EvidenceInput]:
    """Fingerprints the browser computed (the files stayed there), then the files chosen for upload."""
    names, sizes = form.getlist("fp_name"), form.getlist("fp_size")
    types, digests = form.getlist("fp_type"), form.getlist("fp_sha256")
    items = [
        EvidenceInput(str(n), form_id(s) or 0, str(t), str(d))
        for n, s, t, d in zip(names, sizes, types, digests, strict=False)
        if str(d).strip()
    ]
    browser_digests = [str(d) for d in form.getlist("upload_sha256")]
    uploads = [u for u in form.getlist("upload") if isinstance(u, UploadFile) and u.filename]
    for index, upload in enumerate(uploads):
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        await upload.close()  # its spooled temporary file, now that the bytes are read
        # Without script the browser computed nothing: the fingerprint is the one taken here.
        digest = (
            browser_digests[index] if index < len(browser_digests) else hashlib.sha256(content).hexdigest()
        )
        items.append(
            EvidenceInput(upload.filename or "", len(content), upload.content_type or "", digest, content)
        )
    return items


async def _open_refused(request: Request, errors: dict[str, str]) -> Response:
    form = await read_form(request)
    shown = {
        "kind": form.get("kind"),
        "noticed_on": form.get("noticed_on", ""),
        "technologies": form.get("technologies", ""),
        "urgency": form.get("urgency"),
        "description": form.get("description", ""),
        "checklist": form.getlist("checklist"),
    }
    return await render(
        request, "protection/new.html", {**_new_context(shown), "errors": errors}, status_code=400
    )


@shows_refusals(_open_refused)
async def open_case(request: Request) -> Response:
    actor = await require_page_actor(request)
    form = await read_form(request)
    created = await cases.open_protection_case(
        actor=actor, case=_case_form(form), evidence=await _evidence(form)
    )
    return redirect(f"/protection/{created.id}?opened=1")


async def detail(request: Request) -> Response:
    return await _detail(request)


async def _detail(
    request: Request, *, errors: dict[str, str] | None = None, confirm: dict[str, str] | None = None
) -> Response:
    actor = await require_page_actor(request)
    case = await case_queries.get_case(actor, request.path_params["case_id"])
    own = actor.is_sme_representative and actor.organization.id == case.sme_id
    context = {
        "case": case,
        "own": own,
        "overdue": case_queries.is_overdue(case),
        "timeline": await case_queries.timeline(actor, case, first=100),
        "evidence": await case_queries.evidence_of(case, first=100),
        "readers": await case_queries.readers(actor, case, first=50) if own or actor.is_secretariat else None,
        "handlers": await handling.case_handlers() if actor.is_secretariat else [],
        "sponsors": await cases.active_sponsors(actor) if own else [],
        "deposits": (await deposits.list_deposits(actor, first=50)).items if own else [],
        "checklist": dict(CHECKLIST),
        "referral_bodies": list(ReferralBody),
        "outcomes": list(CaseOutcome),
        "errors": errors,
        "confirm": confirm,
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return await render(request, "protection/detail.html", context, status_code=400 if errors else 200)


@shows_refusals(lambda request, errors: _detail(request, errors=errors))
async def act(request: Request) -> Response:
    """Every step on a case; closing asks first (the form comes back with confirmed=yes)."""
    actor = await require_page_actor(request)
    case_id = request.path_params["case_id"]
    action = request.path_params["action"]
    form = await read_form(request)
    if action in ("message", "note"):
        body = str(form.get("body", ""))
        await cases.add_case_message(actor=actor, case_id=case_id, body=body, internal=action == "note")
    elif action == "evidence":
        await cases.add_case_evidence(actor=actor, case_id=case_id, evidence=await _evidence(form))
    elif action == "share":
        await cases.share_protection_case(
            actor=actor, case_id=case_id, conglomerate_id=form_id(form.get("sponsor"))
        )
    elif action == "cite":
        await deposits.cite_deposit(
            actor=actor, case_id=case_id, deposit_id=form_id(form.get("deposit")) or 0
        )
    elif action == "assign":
        await handling.assign_protection_case(
            actor=actor, case_id=case_id, handler_id=form_id(form.get("handler")) or 0
        )
    elif action == "refer":
        referral = Referral(
            body=_choice(ReferralBody, form.get("body"), ReferralBody.COUNSELLING_SERVICE),
            referred_on=form_date(form.get("referred_on")),
            reference=str(form.get("reference", "")),
        )
        await handling.refer_protection_case(actor=actor, case_id=case_id, referral=referral)
    elif action == "close":
        outcome = _choice(CaseOutcome, form.get("outcome"), CaseOutcome.RESOLVED)
        reason = str(form.get("reason", ""))
        if not confirmed(form):
            cases.clean_text(reason, "reason", 2000)
            return await _detail(request, confirm={"outcome": str(outcome), "reason": reason})
        await handling.close_protection_case(actor=actor, case_id=case_id, outcome=outcome, reason=reason)
    else:
        raise HTTPException(404)
    return redirect(f"/protection/{case_id}")


async def download(request: Request) -> Response:
    """An uploaded file, always as an attachment of its checked type, never shown inline."""
    actor = await require_page_actor(request)
    item, data = await case_queries.evidence_file(
        actor, request.path_params["case_id"], request.path_params["evidence_id"]
    )
    return Response(
        data,
        media_type=item.content_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"evidence-{item.id}\"; filename*=UTF-8''{quote(item.name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


async def case_statistics(request: Request) -> Response:
    actor = await require_page_actor(request)
    found = await statistics.protection_case_statistics(actor)
    return await render(request, "protection/statistics.html", {"stats": found})


def routes() -> list[Route]:
    return [
        Route("/protection", case_list, methods=["GET"]),
        Route("/protection/statistics", case_statistics, methods=["GET"]),
        Route("/protection/new", new_case, methods=["GET"]),
        Route("/protection", open_case, methods=["POST"]),
        Route("/protection/{case_id:int}", detail, methods=["GET"]),
        Route("/protection/{case_id:int}/evidence/{evidence_id:int}", download, methods=["GET"]),
        Route("/protection/{case_id:int}/{action:str}", act, methods=["POST"]),
    ]
