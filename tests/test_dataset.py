"""The benchmark dataset is a consistent club: its books agree and the app works on top of it."""

from __future__ import annotations

from bench.dataset import generate
from server.diagnosis.taking import ensure_questionnaire
from server.models import Claim, Organization, Registration, Seminar
from server.money.catalogue import ensure_catalogue
from server.money.reconcile import check_books
from tests.conftest import Database


async def test_a_small_generated_club_has_agreeing_books_and_seats_within_capacity(db: Database) -> None:
    await ensure_catalogue()
    await ensure_questionnaire()
    counts = await generate(db.url, 0.002)
    assert counts["smes"] == 100 and counts["claims"] == 600 and counts["registrations"] == 400
    assert await check_books() == []
    for seminar in await Seminar.all():
        assert (
            seminar.registered_count
            == await Registration.filter(seminar_id=seminar.id).count()
            <= seminar.capacity
        )
    # New rows after the bulk insert get fresh ids (PostgreSQL's sequences were moved past them).
    extra = await Organization.create(kind="sme", name_ko="새 협력사")
    assert extra.id == counts["conglomerates"] + counts["smes"] + 1
    assert await Claim.filter(status="approved").exists()
