"""Signings recorded on the membership before signings became records survive the migration as records."""

from __future__ import annotations

import uuid
from pathlib import Path

from tortoise.connection import get_connection
from tortoise.migrations.api import migrate

from server.platform.db import open_database, tortoise_config
from tests.conftest import TEST_DATABASE_URL, Database, _on_postgres_server, _with_database_name

BEFORE = [
    "INSERT INTO organization (id, kind, name_ko, sector, status, shares_diagnosis, created_at) "
    "VALUES (1, 'conglomerate', '삼성전자', '', 'active', FALSE, '2026-01-01 00:00:00+00:00')",
    "INSERT INTO organization (id, kind, name_ko, sector, status, shares_diagnosis, created_at) "
    "VALUES (2, 'conglomerate', 'LG전자', '', 'active', FALSE, '2026-01-01 00:00:00+00:00')",
    'INSERT INTO "user" (id, email, name, is_active, created_at) '
    "VALUES (7, 'kim@samsung.test', '김협력', TRUE, '2026-01-01 00:00:00+00:00')",
    "INSERT INTO club_membership (id, organization_id, status, applied_at, declaration_signed_on, "
    "declaration_signer_name, declaration_signer_title, pledge_partnership, pledge_infrastructure, "
    "pledge_fair_dealing, pledge_awareness) VALUES (1, 1, 'active', '2026-01-01 00:00:00+00:00', "
    "'2011-11-01', '홍길동', '대표이사', TRUE, TRUE, TRUE, TRUE)",
    "INSERT INTO club_membership (id, organization_id, status, applied_at, declaration_signed_on, "
    "declaration_signer_name, declaration_signer_title, pledge_partnership, pledge_infrastructure, "
    "pledge_fair_dealing, pledge_awareness) VALUES (2, 2, 'applied', '2026-01-01 00:00:00+00:00', "
    "NULL, '', '', FALSE, FALSE, FALSE, FALSE)",
    "INSERT INTO audit_entry (actor_id, organization_id, action, record_type, record_id, created_at) "
    "VALUES (7, 1, 'membership.sign_declaration', 'ClubMembership', '1', '2026-02-03 04:05:06+00:00')",
]


async def test_a_signing_kept_on_the_membership_becomes_the_first_signing_record(
    tmp_path: Path, db: Database
) -> None:
    if db.is_postgres:
        assert TEST_DATABASE_URL
        name = f"club_upgrade_{uuid.uuid4().hex[:10]}"
        await _on_postgres_server(f'CREATE DATABASE "{name}"')
        url = _with_database_name(TEST_DATABASE_URL, name)
    else:
        url = f"sqlite://{tmp_path}/upgrade.sqlite3"
    try:
        await migrate(config=tortoise_config(url, for_migrations=True), target="club.0006_partner_pages")
        for statement in BEFORE:
            await get_connection("default").execute_script(statement)
        await get_connection("default").close()
        await migrate(config=tortoise_config(url, for_migrations=True))
        connection = get_connection("default")
        signings = await connection.execute_query_dict(
            "SELECT organization_id, kind, signed_on, signer_name, signer_title, text_version, "
            "pledge_partnership, pledge_infrastructure, pledge_fair_dealing, pledge_awareness, "
            "recorded_by_id, recorded_at FROM declaration_signing"
        )
        memberships = await connection.execute_query_dict(
            "SELECT organization_id, declaration_signed_on FROM club_membership ORDER BY id"
        )
        await connection.close()
    finally:
        await open_database(db.url)  # back to the suite's database
        if db.is_postgres:
            await _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert len(signings) == 1
    signing = signings[0]
    assert (signing["organization_id"], signing["kind"], str(signing["signed_on"])) == (
        1,
        "signing",
        "2011-11-01",
    )
    assert (signing["signer_name"], signing["signer_title"], signing["text_version"]) == (
        "홍길동",
        "대표이사",
        "2011-11",
    )
    assert all(
        bool(signing[p])
        for p in ("pledge_partnership", "pledge_infrastructure", "pledge_fair_dealing", "pledge_awareness")
    )
    assert signing["recorded_by_id"] == 7 and str(signing["recorded_at"]).startswith("2026-02-03")
    assert [(m["organization_id"], str(m["declaration_signed_on"])) for m in memberships] == [
        (1, "2011-11-01"),
        (2, "None"),
    ]
