"""Blanking one person's name and e-mail out of every record that must stay.

The account row itself is anonymised by `removal.complete_account_removal`; here every other text and
JSON column of every table is searched for the person's e-mail (any case) and name, and each occurrence
is replaced, so a table added later is covered without a change here. Matching rows are found by the
database (LIKE), rewritten here, one row at a time: they are few. JSON columns are searched as their
text, which on SQLite escapes non-ASCII characters, so the escaped name is searched for too.

The audit trail is the one place the product otherwise never edits: removing a person at their request
is the law's exception (PIPA: erasure), and the entries keep who-as-a-role, organisation, when and what.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tortoise import Tortoise, fields
from tortoise.connection import get_connection
from tortoise.models import Model

REMOVED_NAME = "(탈퇴한 사용자)"
ACCOUNT_COLUMNS = {("user", "email"), ("user", "name")}  # set by the removal itself


def removed_email(user_id: int) -> str:
    return f"removed-{user_id}@removed.invalid"


def _text_columns(model: type[Model]) -> list[tuple[str, bool]]:
    """(column, is_json) of the model's free-text columns: not enums, keys or hashes."""
    columns = []
    for field in model._meta.fields_map.values():
        if isinstance(field, fields.JSONField):
            columns.append((field.source_field or field.model_field_name, True))
        elif isinstance(field, (fields.CharField, fields.TextField)) and not getattr(
            field, "enum_type", None
        ):
            columns.append((field.source_field or field.model_field_name, False))
    return columns


def _replace(value: Any, needles: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        for pattern, replacement in needles:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [_replace(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, needles) for k, v in value.items()}
    return value


async def erase_person(user_id: int, email: str, name: str) -> list[str]:
    """Every `table.column` (outside the account row) where the person's name or e-mail was replaced."""
    connection = get_connection("default")
    sqlite = connection.capabilities.dialect == "sqlite"

    def mark(n: int) -> str:
        return "?" if sqlite else f"${n}"

    needles = [(re.compile(re.escape(email), re.IGNORECASE), removed_email(user_id))]
    searched = [email.lower()]
    if len(name.strip()) >= 2:  # a one-letter name would match inside other words
        needles.append((re.compile(re.escape(name.strip())), REMOVED_NAME))
        searched.append(name.strip().lower())
        escaped = json.dumps(name.strip())[1:-1].lower()
        if sqlite and escaped != searched[-1]:
            searched.append(escaped)
    changed: list[str] = []
    for model in Tortoise.apps["club"].values():
        table = model._meta.db_table
        key = model._meta.db_pk_column
        for column, is_json in _text_columns(model):
            if (table, column) in ACCOUNT_COLUMNS:
                continue
            text = f'CAST("{column}" AS TEXT)' if is_json else f'"{column}"'
            where = " OR ".join(f"LOWER({text}) LIKE {mark(i + 1)}" for i in range(len(searched)))
            # Table and column names come from the models, never from input; the values are parameters.
            rows = await connection.execute_query_dict(
                f'SELECT "{key}" AS pk, "{column}" AS value FROM "{table}" WHERE {where}',  # noqa: S608
                [f"%{s}%" for s in searched],
            )
            for row in rows:
                value = (
                    json.loads(row["value"]) if is_json and isinstance(row["value"], str) else row["value"]
                )
                new = _replace(value, needles)
                if new == value:
                    continue
                stored = json.dumps(new, ensure_ascii=False) if is_json else new
                cast = "" if sqlite or not is_json else "::jsonb"
                await connection.execute_query(
                    f'UPDATE "{table}" SET "{column}" = {mark(1)}{cast} WHERE "{key}" = {mark(2)}',  # noqa: S608
                    [stored, row["pk"]],
                )
                changed.append(f"{table}.{column}")
    return sorted(set(changed))
