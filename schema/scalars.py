"""Scalars of the domain: plain Python types, mapped to GraphQL scalars in the schema's config."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from graphql import GraphQLError

# GraphQL's Int stops at 2^31 - 1 (about 2.1 billion won): budgets go past that.
Won = NewType("Won", int)


def _parse_won(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        # A GraphQLError is an answer for the client, like the built-in scalars' own.
        raise GraphQLError("Won is a whole number of won.")
    return value


SCALARS: dict[object, Any] = {
    Won: strawberry.scalar(
        name="Won",
        description="An amount in Korean won: a whole number, never a fraction (KRW has no minor unit).",
        serialize=int,
        parse_value=_parse_won,
    )
}
