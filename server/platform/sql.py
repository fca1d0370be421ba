"""Plain SQL for the read paths, on Tortoise's own connection (no second pool).

List and dashboard screens read rows, not models: a statement written once with named parameters
(`:name`), run on PostgreSQL (asyncpg, `$1`) and SQLite (`?1`) alike, returning dicts that the read
path turns into plain typed rows. Tortoise models stay for writes and single-record reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar, cast

from tortoise import connections, timezone
from tortoise.fields import DatetimeField, Field
from tortoise.fields.data import CharEnumFieldInstance, IntEnumFieldInstance
from tortoise.models import Model

M = TypeVar("M", bound=Model)

_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=256)
def compile_sql(sql: str, dialect: str) -> tuple[str, tuple[str, ...]]:
    """The statement in the dialect's numbered style and the parameter names in number order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"{'$' if dialect == 'postgres' else '?'}{names.index(name) + 1}"

    return _NAMED.sub(number, sql), tuple(names)


def dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


def _sqlite_value(value: Any) -> Any:
    # As Tortoise stores them on SQLite: decimals and dates as text, booleans as 0/1.
    if isinstance(value, Decimal) or type(value) is date:
        return str(value)
    return int(value) if isinstance(value, bool) else value


async def fetch(sql: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of one statement, as dicts of column values."""
    connection = connections.get("default")
    kind = str(connection.capabilities.dialect)
    text, names = compile_sql(sql, kind)
    values = [params[name] for name in names]
    if kind != "postgres":
        values = [_sqlite_value(v) for v in values]
    return list(await connection.execute_query_dict(text, values))


def listed(values: Iterable[Enum]) -> str:
    """The members' values as a list of SQL literals, for `IN (...)`: only for the project's own enums."""
    return ", ".join(f"'{value.value}'" for value in values)


def like_pattern(term: str, *, prefix: bool = False) -> str:
    """A LIKE pattern matching `term` literally (use with ESCAPE '\\'): anywhere, or at the start."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if prefix else f"%{escaped}%"


@lru_cache(maxsize=64)
def _keys(alias: str, model: type[Model]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{alias}__{column}", column) for column in sorted(model._meta.db_fields))


def columns(alias: str, model: type[Model]) -> str:
    """Every column of the model's table under `alias`, named for `model_from` to read back. Only once the
    models are initialised: a foreign key's column joins its model then, so build statements lazily."""
    return ", ".join(f'{alias}."{column}" AS "{key}"' for key, column in _keys(alias, model))


Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class _Building:
    """How `Model._init_from_db` turns a row into an instance, worked out once per model: the attributes
    every instance starts with, then per column its attribute and conversion (none for what the driver
    already converted)."""

    blank: dict[str, Any]
    fresh: tuple[str, ...]  # of those, the containers each instance gets its own copy of
    native: tuple[tuple[str, str], ...]
    converted: tuple[tuple[str, str, Convert], ...]


def _aware(field: Field[Any], zone: tzinfo) -> Convert:
    # What DatetimeField.to_python_value gives an aware value, without reading the environment per value.
    def convert(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(zone)
        return field.to_python_value(value)

    return convert


def _conversion(field: Field[Any], *, default: bool) -> Convert:
    if default:
        kind = field.field_type
        return lambda value: None if value is None else kind(value)
    if isinstance(field, CharEnumFieldInstance | IntEnumFieldInstance):
        enum = field.enum_type
        return lambda value: None if value is None else enum(value)
    if isinstance(field, DatetimeField) and timezone.get_use_tz():
        return _aware(field, timezone.get_default_timezone())
    return field.to_python_value


@lru_cache(maxsize=64)
def _building(alias: str, model: type[Model]) -> _Building:
    meta = model._meta
    made = vars(model._init_from_db(**{column: None for column in meta.db_fields}))
    blank = {name: value for name, value in made.items() if name.startswith("_")}
    return _Building(
        blank=blank,
        fresh=tuple(name for name, value in blank.items() if isinstance(value, dict | list | set)),
        native=tuple((f"{alias}__{column}", name) for column, name, _ in meta.db_native_fields),
        converted=tuple(
            (f"{alias}__{column}", name, _conversion(field, default=default))
            for fields, default in ((meta.db_default_fields, True), (meta.db_complex_fields, False))
            for column, name, field in fields
        ),
    )


def model_from(alias: str, model: type[M], row: dict[str, Any]) -> M:
    """The model instance a row's `columns(alias, model)` describe, equal to the one Tortoise's executor
    builds from the same row (tests/test_sql_rows.py): a list read in one statement still hands its
    screens models. Not through `_init_from_db`, which reads the environment for every date and time: a
    page of claims has some 400 of them."""
    building = _building(alias, model)
    instance = model.__new__(model)
    attributes = vars(instance)
    attributes.update(building.blank)
    for name in building.fresh:
        attributes[name] = building.blank[name].copy()
    for key, name in building.native:
        attributes[name] = row[key]
    for key, name, convert in building.converted:
        attributes[name] = convert(row[key])
    return cast(M, instance)


def set_related(row: Model, name: str, related: Model | None) -> None:
    """Put `related` where select_related puts the row of the relation `name` (None when there is none):
    `row.<name>` then reads it without a query."""
    object.__setattr__(row, f"_{name}", related)


def models_with_many(
    records: list[dict[str, Any]],
    alias: str,
    model: type[M],
    relation: str,
    related_alias: str,
    related: type[Model],
) -> list[tuple[M, dict[str, Any]]]:
    """Each `alias` model once, in the rows' order, from rows joined to its many-to-many `relation` (a row per
    related one, NULL when there is none), the relation set as prefetch_related sets it; with the first row
    it came in, for what else that row joined. Rows without an `alias` model (a total's row) are skipped."""
    found: dict[Any, tuple[M, dict[str, Any]]] = {}
    many: dict[Any, list[Model]] = {}
    for record in records:
        key = record[f"{alias}__id"]
        if key is None:
            continue
        if key not in found:
            found[key] = (model_from(alias, model, record), record)
            many[key] = []
        if record[f"{related_alias}__id"] is not None:
            many[key].append(model_from(related_alias, related, record))
    for key, (row, _) in found.items():
        getattr(row, relation)._set_result_for_query(many[key])
    return list(found.values())
