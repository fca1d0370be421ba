"""Scalars of the domain: plain Python types, mapped to GraphQL scalars in the schema's config."""

from __future__ import annotations

import datetime as dt
from typing import Any, NewType

import strawberry
from graphql import GraphQLError
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition

from server.platform.text import MAX_WON
from server.platform.timeutil import EARLIEST, LATEST, in_calendar

# GraphQL's Int stops at 2^31 - 1 (about 2.1 billion won): budgets go past that.
Won = NewType("Won", int)


def _parse_won(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        # A GraphQLError is an answer for the client, like the built-in scalars' own.
        raise GraphQLError("Won is a whole number of won.")
    if abs(value) > MAX_WON:
        raise GraphQLError(f"Won is at most {MAX_WON:,} either way.")
    return value


def _in_calendar(parse: Any, name: str) -> Any:
    """Strawberry's own parsing, then the years the club takes: year 1 or 9999 overflows once moved to UTC."""

    def parse_value(value: object) -> Any:
        parsed = parse(value)
        if not in_calendar(parsed):
            raise GraphQLError(f"{name} must lie between {EARLIEST} and {LATEST}.")
        return parsed

    return parse_value


SCALARS: dict[object, Any] = {
    Won: strawberry.scalar(
        name="Won",
        description="An amount in Korean won: a whole number, never a fraction (KRW has no minor unit).",
        serialize=int,
        parse_value=_parse_won,
    ),
    dt.date: strawberry.scalar(
        name=DateDefinition.name,
        description=DateDefinition.description,
        serialize=dt.date.isoformat,
        parse_value=_in_calendar(DateDefinition.parse_value, "A date"),
    ),
    dt.datetime: strawberry.scalar(
        name=DateTimeDefinition.name,
        description=DateTimeDefinition.description,
        serialize=dt.datetime.isoformat,
        parse_value=_in_calendar(DateTimeDefinition.parse_value, "A moment"),
    ),
}
