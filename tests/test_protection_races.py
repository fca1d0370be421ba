"""Two secretariat staff pressing the same button on one case at once: the case row is locked, so the step
happens once, the SME hears once, and the other gets a clear refusal. Only PostgreSQL proves it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from server.models import AuditEntry, CaseEntry, CaseOutcome, CaseStatus, EntryKind, ProtectionCase, RoleKind
from server.platform.errors import DomainError
from server.protection import handling
from tests.support.costs import acting
from tests.support.protection import open_case
from tests.support.world import World

pytestmark = pytest.mark.postgres_only


def _refusals(results: list[Any]) -> list[str]:
    return [r.errors[0].code.value for r in results if isinstance(r, DomainError)]


async def test_ten_closes_of_one_case_at_once_close_it_once(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    case = await open_case(world.hanbit_rep)
    results = await asyncio.gather(
        *(
            handling.close_protection_case(
                actor=admin, case_id=case.id, outcome=CaseOutcome.RESOLVED, reason=f"해결 {n}"
            )
            for n in range(10)
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(r, ProtectionCase) for r in results) == 1
    assert _refusals(results) == ["invalid_state"] * 9
    assert (await ProtectionCase.get(id=case.id)).status == CaseStatus.CLOSED
    assert await CaseEntry.filter(case_id=case.id, kind=EntryKind.CLOSED).count() == 1
    assert await AuditEntry.filter(action="protection_case.close").count() == 1


async def test_closing_while_a_colleague_assigns_leaves_one_consistent_case(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    case = await open_case(world.hanbit_rep)
    results = await asyncio.gather(
        *(
            handling.assign_protection_case(actor=admin, case_id=case.id, handler_id=world.admin.user.id)
            for _ in range(5)
        ),
        handling.close_protection_case(
            actor=admin, case_id=case.id, outcome=CaseOutcome.NO_ACTION, reason="중복 접수"
        ),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    final = await ProtectionCase.get(id=case.id)
    assert final.status == CaseStatus.CLOSED and final.closed_at is not None
    closes = await CaseEntry.filter(case_id=case.id, kind=EntryKind.CLOSED).count()
    assert closes == 1
    entries = await CaseEntry.filter(case_id=case.id).order_by("id").values_list("kind", flat=True)
    assert entries[-1] == EntryKind.CLOSED  # nothing happened to the case after it closed
