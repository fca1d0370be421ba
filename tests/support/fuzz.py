"""Odd values for every door: what a careless script or a hostile client sends instead of a form's values."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette

from server.models import Partnership, RoleKind, Service, ServiceCode
from server.money.claims import approve_claim
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment
from tests.support.pages import sign_in_as
from tests.support.protection import PDF, open_case, upload
from tests.support.seminars import published, register
from tests.support.world import World
from web.app import create_app

TEMPLATES = Path(__file__).parent.parent.parent / "frontend" / "templates"

# One kind of odd value at a time in every field of a request; a date in the form its field takes.
ODD_TEXT = {
    "nul": "a\x00b",
    "huge number": str(2**64),
    "superscript digit": "²",
    "long": "가" * 5000,
}
ODD_DATES = {
    "ancient": ("0001-01-01", "0001-01-01T00:00", "0001-01"),
    "far": ("9999-12-31", "9999-12-31T23:59", "9999-12"),
}
ODD_KINDS = [*ODD_TEXT, *ODD_DATES]


def odd_value(kind: str, field: str) -> str:
    if kind in ODD_TEXT:
        return ODD_TEXT[kind]
    day, moment, month = ODD_DATES[kind]
    return moment if field.endswith("_at") else month if field == "month" else day


# Every field name a page's forms post, and every query parameter a page reads.
FORM_FIELDS = sorted(
    set(re.findall(r'name="([a-z_]+)"', "".join(p.read_text() for p in TEMPLATES.rglob("*.html"))))
)
QUERY_PARAMETERS = [
    "q", "after", "status", "month", "conglomerate", "sme", "commitment", "service", "tier", "order",
    "level", "view", "next", "kind", "search", "topic", "paying", "submitted",
]  # fmt: skip

ACTIONS = {
    "/claims/": ["approve", "reject", "cancel", "transfer", "fulfil", "refund"],
    "/services/": ["update", "price", "retire"],
    "/commitments/": ["activate", "top-up", "close"],
    "/seminars/": ["register", "unregister", "publish", "cancel"],
    "/partnerships/": ["accept", "decline"],
    "/mail/": ["resend", "give-up"],
    "/protection/": ["message", "note", "evidence", "share", "assign", "refer", "close", "cite"],
}


def cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


# Cursors a client could forge: each decodes, but to values no row ever had.
ODD_CURSORS = {
    "infinite": base64.urlsafe_b64encode(b"[1e400]").decode(),
    "huge": cursor([2**70]),
    "nul": cursor(["a\x00b"]),
    "object": cursor([{"a": 1}]),
    "ancient": cursor(["0001-01-01T00:00:00+14:00"]),
    "not base64": "%%%",
}


@dataclass
class Doors:
    """The app, a client per role (signed in) and ids of real rows for the path parameters."""

    app: Starlette
    clients: dict[str, httpx.AsyncClient]
    ids: dict[str, int]


async def open_doors(settings: Settings, world: World) -> Doors:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    approved = await claim(world.hanbit_rep, pledge, ServiceCode.ESCROW_RENEWAL)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=approved.id)
    seminar = await published(world.admin)
    registration = await register(world.hanbit_rep, seminar)
    partnership = await Partnership.get(sme=world.hanbit)
    case = await open_case(world.hanbit_rep, upload("drawing.pdf", PDF))
    service = await Service.first()
    assert service is not None
    app = create_app(settings, run_workers=False)
    clients = {}
    for role, person in (
        ("secretariat", world.admin),
        ("coordinator", world.samsung_coordinator),
        ("sme", world.hanbit_rep),
    ):
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://testserver"
        )
        await sign_in_as(client, person.email, person.password)
        clients[role] = client
    ids = {
        "claim_id": submitted.id,
        "commitment_id": pledge.id,
        "seminar_id": seminar.id,
        "registration_id": registration.id,
        "partnership_id": partnership.id,
        "organization_id": world.hanbit.id,
        "service_id": service.id,
        "import_id": 1,
        "diagnosis_id": 1,
        "token_id": 1,
        "user_id": 999_999,  # nobody: deactivating or removing a real person would end the walk
        "session_id": 999_999,
        "mail_id": 1,
        "attention_id": 1,
        "case_id": case.id,
        "evidence_id": 1,
        "application_id": 1,
        "signing_id": 1,
        "proposal_id": 1,
        "removal_id": 999_999,  # no request: completing a real one would remove a person mid-walk
    }
    return Doors(app, clients, ids)
