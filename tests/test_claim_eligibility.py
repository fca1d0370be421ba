"""An SME sees before it fills in a claim whether it may claim: a disabled 신청 with the reason and the
way to fix it (take the self-diagnosis, record the escrow contract a renewal needs)."""

from __future__ import annotations

import re

import httpx

from server.diagnosis import taking as diagnosis
from server.diagnosis.areas import VERSION_2, answers_by_area
from server.models import RoleKind, ServiceCode
from tests.support.costs import acting, commitment, service
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_page
from tests.support.world import World


def _buttons(html: str) -> tuple[int, int]:
    return html.count('<a class="button" href="/claims/new?'), len(re.findall(r"<button[^>]*disabled", html))


async def test_a_commitment_needing_a_diagnosis_shows_a_disabled_claim_with_the_way_to_the_diagnosis(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(
        world.samsung_coordinator,
        codes=(ServiceCode.ESCROW_NEW, ServiceCode.ESCROW_RENEWAL),
        diagnosis_within_months=6,
    )
    await sign_in_page(client, world.hanbit_rep.email, world.hanbit_rep.password)
    for path in ("/commitments", f"/commitments/{pledge.id}"):
        page = (await client.get(path)).text
        assert _buttons(page) == (0, 2), path
        assert "최근 자가진단 결과가 필요합니다" in page
        assert 'href="/diagnosis"' in page

    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    await diagnosis.submit(
        actor=rep,
        answers=answers_by_area(
            VERSION_2, dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 3)
        ),
    )
    page = (await client.get("/commitments")).text
    renewal = await service(ServiceCode.ESCROW_RENEWAL)
    # Diagnosed: a new contract may be claimed; a renewal still needs a contract of its own to renew.
    assert _buttons(page) == (1, 1)
    assert f'aria-describedby="why-{pledge.id}-{renewal.id}"' in page and 'href="/deposits#outside"' in page


REFUSALS = (
    "query($id: Int!) { commitment(id: $id) { claimRefusals { serviceId error { field code message } } } }"
)


async def test_graphql_tells_the_sme_why_it_may_not_claim_before_it_tries_and_tells_a_sponsor_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(
        world.samsung_coordinator, codes=(ServiceCode.ESCROW_NEW,), diagnosis_within_months=6
    )
    escrow = await service(ServiceCode.ESCROW_NEW)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    found = (await gql(client, REFUSALS, {"id": pledge.id}))["commitment"]["claimRefusals"]
    assert [(r["serviceId"], r["error"]["code"]) for r in found] == [(escrow.id, "DIAGNOSIS_REQUIRED")]
    assert "self-diagnosis" in found[0]["error"]["message"]  # in the asker's language (English here)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await gql(client, REFUSALS, {"id": pledge.id}))["commitment"]["claimRefusals"] == []
