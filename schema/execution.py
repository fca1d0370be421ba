"""How the schema executes: rows from the ORM are values, and plain fields are read, not resolved.

A page of 50 partners asks for some 550 fields, most of them a column of a row already in memory.
graphql-core gives each one a resolve-info object, the resolver chain and value completion: that, not
SQL, was most of the time a list screen took. Fields that only read an attribute into a scalar or enum
are read and coerced directly here; anything else (a resolver, arguments, directives, a null where none
may be, an error) takes graphql-core's own path, so answers and errors are exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLObjectType,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Path, Undefined
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField
from tortoise.models import Model


def is_awaitable(value: Any) -> bool:
    # A Tortoise model instance defines __await__ (awaiting it gives itself back). graphql-core would take
    # every row a resolver returns for pending work: a coroutine per row and a gather per list.
    return not isinstance(value, Model) and optimized_is_awaitable(value)


@dataclass(frozen=True)
class PlainLeaf:
    attribute: str
    type: GraphQLLeafType
    nullable: bool

    def read(self, source: Any) -> Any:
        """The field's output value, or Undefined when graphql-core's own path must answer (and report)."""
        try:
            value = getattr(source, self.attribute)
            if value is None:
                return None if self.nullable else Undefined
            coerced = self.type.coerce_output_value(value)
        except Exception:
            return Undefined
        return Undefined if coerced is None else coerced


def plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    """How to read the field directly, if it is an attribute of the source shown as a scalar or enum."""
    definition = field.extensions.get("strawberry-definition")
    # Strawberry marks the resolver of a field with no resolver and no extensions as its default.
    if not isinstance(definition, StrawberryField) or not getattr(field.resolve, "_is_default", False):
        return None
    if definition.default_resolver is not getattr:
        return None
    inner = get_nullable_type(field.type)
    if not is_leaf_type(inner):
        return None
    return PlainLeaf(definition.python_name, inner, not is_non_null_type(field.type))


_PLANS: dict[int, tuple[GraphQLField, PlainLeaf | None]] = {}


def _plan(field: GraphQLField) -> PlainLeaf | None:
    known = _PLANS.get(id(field))
    if known is None or known[0] is not field:
        known = _PLANS[id(field)] = (field, plain_leaf(field))
    return known[1]


class ClubExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]
        self._read_directly = self.middleware_manager is None or not self.middleware_manager.middlewares

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field = parent_type.fields.get(node.name.value)
        if self._read_directly and field is not None and not node.arguments and not node.directives:
            leaf = _plan(field)
            if leaf is not None:
                value = leaf.read(source)
                if value is not Undefined:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
