"""Whether a value a resolver gave is still to come, asked of every value of every field.

graphql-core asks it of each value; Strawberry's check is an isinstance against an ABC. A type whose
values can never be awaited is learnt after its first value.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import GeneratorType
from typing import Any

from strawberry.execution import optimized_is_awaitable
from tortoise.models import Model

# Types whose values are answers, never pending work: plain values, rows without `__await__`, and Tortoise
# models, which define it (awaiting one gives itself back) but which graphql-core would otherwise take for
# pending work, a coroutine per row and a gather per list. Learnt per type: the check is made for every
# value of every field. Bounded, in case some code makes classes on the fly.
_SETTLED: set[type] = {type(None), int, str, bool, float, Decimal, datetime, date}
_MOST_SETTLED = 10_000


def is_awaitable(value: Any) -> bool:
    kind = type(value)
    if kind in _SETTLED:
        return False
    if issubclass(kind, Model | Enum) or not (hasattr(kind, "__await__") or kind is GeneratorType):
        if len(_SETTLED) < _MOST_SETTLED:
            _SETTLED.add(kind)
        return False
    return optimized_is_awaitable(value)
