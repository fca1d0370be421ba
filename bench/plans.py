"""The plans PostgreSQL chooses for the partner list's one statement (server/membership/partner_rows.py).

For the sponsor with the most partnerships and for a typical one (the median), as `make bench` prints
them: EXPLAIN (ANALYZE, BUFFERS) of the first page, newest first, 50 rows and the total, as the page asks.
"""

from __future__ import annotations

import asyncpg

from server.membership.partner_queries import PartnerFilter, PartnerOrder
from server.membership.partner_rows import statement
from server.platform.sql import compile_sql

SPONSORS = (
    """SELECT conglomerate_id, COUNT(*) AS n FROM partnership GROUP BY conglomerate_id ORDER BY n DESC"""
)


async def partner_list_plans(database: str) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(database)
    try:
        sponsors = await connection.fetch(SPONSORS)
        if not sponsors:
            return []
        chosen = [("largest", sponsors[0]), ("typical", sponsors[len(sponsors) // 2])]
        plans = []
        for label, sponsor in chosen:
            sql, params = statement(sponsor["conglomerate_id"], PartnerFilter(), PartnerOrder.NEWEST, size=50)
            text, names = compile_sql(sql, "postgres")
            await connection.fetch(text, *(params[n] for n in names))  # warm, as under load
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {text}", *(params[n] for n in names))
            title = f"plan, partner list, {label} sponsor ({sponsor['n']:,} partnerships):"
            plans.append((title, "\n".join(r[0] for r in rows)))
        return plans
    finally:
        await connection.close()
