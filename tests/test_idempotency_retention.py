"""Idempotency keys are kept long enough to answer a repeated request, then purged by the retention job."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from server.models import IdempotencyKey
from server.platform.config import configure
from server.platform.settings import Settings
from server.platform.timeutil import now
from server.privacy.retention import purge_expired_personal_data
from tests.support.world import World


async def test_the_retention_job_deletes_idempotency_keys_older_than_their_retention_only(
    world: World, settings: Settings
) -> None:
    """Rule: past IDEMPOTENCY_KEY_RETENTION_DAYS a key is deleted (a repeat that late acts as a new
    request); younger keys stay and still answer repeats."""
    configure(dataclasses.replace(settings, idempotency_key_retention_days=30))
    user = world.hanbit_rep.user
    for key, age in (("old-key", 31), ("young-key", 29)):
        made = await IdempotencyKey.create(user=user, key=key, operation="pay_claim", digest="d" * 64)
        await IdempotencyKey.filter(id=made.id).update(created_at=now() - timedelta(days=age))

    purged = await purge_expired_personal_data()

    assert purged.idempotency_keys == 1
    assert await IdempotencyKey.filter(user_id=user.id).values_list("key", flat=True) == ["young-key"]
    assert (await purge_expired_personal_data()).idempotency_keys == 0
