"""Every main screen, through /graphql and as a page, runs the same few SQL statements at any club size.

The requests are the benchmark's own (bench/screens.py), on its generated club at two sizes.
"""

from __future__ import annotations

import pytest

from bench.dataset import PASSWORD, generate
from bench.screens import main_screens
from server.diagnosis.taking import ensure_questionnaire
from server.money.catalogue import ensure_catalogue
from server.platform.timeutil import in_seoul, now
from tests.conftest import Database
from tests.support.pages import sign_in_as
from tests.support.queries import QueryCounter

# Statements per request, once the person is signed in (the first is the actor, read when needed).
EXPECTED = {
    "partner list (GraphQL)": 2,  # actor; page with SMEs, count and claim figures in one (partner_rows)
    "partner list (page)": 2,
    "review queue (GraphQL)": 2,  # actor; the page's ids, their rows with SME and service, count (claim_list)
    "review queue (page)": 2,
    "commitment (GraphQL)": 3,  # actor; commitment with sponsor and services (commitment_list); its months
    "commitment (page)": 5,  # + its recent claims, the latest page of its history (actor and organisation joined)
    "programme month (GraphQL)": 2,  # actor; page with its co-hosts and count (seminar_list)
    "programme month (page)": 3,  # + the co-hosts one may filter by
    "SME dashboard (GraphQL)": 4,  # actor; claims; registrations; eligible commitments with services (one each)
    "SME dashboard (page)": 6,  # + its latest diagnosis; its escrow and open claims (one statement)
    "fixed cost: { __typename } (GraphQL)": 0,  # about the schema alone: no actor read (schema.acting)
}


@pytest.mark.parametrize("scale", [0.004, 0.02])
async def test_each_main_screen_runs_a_fixed_number_of_statements_whatever_the_club_size(
    db: Database, client: object, queries: QueryCounter, scale: float
) -> None:
    await ensure_catalogue()
    await ensure_questionnaire()
    await generate(db.url, scale)
    counts = {}
    for name, who, request in main_screens(in_seoul(now()).replace(tzinfo=None)):
        if "hand-written" in name:
            continue  # the benchmark's floor, not part of the product
        await sign_in_as(client, who, PASSWORD)  # type: ignore[arg-type]
        answer = await client.request(**request)  # type: ignore[attr-defined]
        assert answer.status_code == 200 and b'"errors"' not in answer.content[:200], answer.text[:300]
        queries.reset()
        await client.request(**request)  # type: ignore[attr-defined]
        counts[name] = queries.count
    assert counts == EXPECTED
    assert max(counts.values()) <= 8
