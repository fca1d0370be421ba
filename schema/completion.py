"""Value completion planned once per (query, field) and applied to every row of a list.

graphql-core completes each field of each row on its own: a resolve-info object, Strawberry's resolver
chain (arguments, extensions, its own Info), then the completion of the value by its type. For a page
of 50 partners that is some 750 field executions where the rows are already in memory. Here the first
row of a selection builds a plan (a reader per response key, a completer per type) and every row of
the list, and every list of the query, reuses it.

A field is planned when its value is an attribute of the row or a plain method of the row that takes
no arguments (optionally `info`: one resolve-info per field of the query, since our resolvers read the
context and the selection, never the path), and its type is a scalar, an enum, an object type without
`is_type_of`, or a list or non-null of those. Anything else (async resolvers, arguments, directives,
field extensions, interfaces and unions) leaves the object to graphql-core. So does any value the plan
cannot complete as it is (a null where none may be, an awaitable, an error): the object is completed
again by graphql-core, which answers or reports exactly as it would have, and the plan is not tried
again in this query.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from operator import attrgetter
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from schema.awaiting import is_awaitable

Completer = Callable[[Any], Any]  # a value → its completed form, or Undefined


def value_reader(field: GraphQLField, info: Callable[[], Any] | None = None) -> Callable[[Any], Any] | None:
    """How to read the field's value from its row without Strawberry's resolver chain, if it can be: an
    attribute, or a method of the row alone (with `info()` for one that asks for it, when given)."""
    definition = field.extensions.get("strawberry-definition")
    if not isinstance(definition, StrawberryField):
        return None
    resolver = definition.base_resolver
    if resolver is None:
        # Strawberry marks the resolver of a field with no resolver and no extensions as its default.
        plain = getattr(field.resolve, "_is_default", False) and definition.default_resolver is getattr
        return attrgetter(definition.python_name) if plain else None
    of_the_row = (
        resolver.self_parameter is not None
        and resolver.root_parameter is None
        and resolver.parent_parameter is None
        and not resolver.arguments
    )
    if definition.extensions or resolver.is_async or not of_the_row:
        return None
    method = cast(Callable[..., Any], resolver.wrapped_func)  # a method of the row: never static
    if resolver.info_parameter is None:
        return method
    if info is None:
        return None
    given = {resolver.info_parameter.name: info()}
    return lambda row: method(row, **given)


def leaf_completer(type_: Any) -> Completer:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        try:
            coerced = type_.coerce_output_value(value)
        except Exception:
            return Undefined
        return Undefined if coerced is None else coerced

    return complete


def non_null(inner: Completer) -> Completer:
    """Completes as `inner`, where a null is not an answer (graphql-core's path reports it). Every completer
    here completes a null value to null."""

    def complete(value: Any) -> Any:
        completed = inner(value)
        return Undefined if completed is None else completed

    return complete


def _settle(value: Any) -> bool:
    """Whether the value can be completed now; a coroutine handed back is closed (graphql-core's path calls
    the resolver again and awaits that one)."""
    if not is_awaitable(value):
        return True
    if isinstance(value, Coroutine):
        value.close()
    return False


def reading(value_of: Callable[[Any], Any], complete: Completer) -> Callable[[Any], Any]:
    """The field's completed value read from its row, or Undefined when graphql-core's own path must answer
    (a resolver that raised, or a value still to come)."""

    def read(row: Any) -> Any:
        try:
            value = value_of(row)
        except Exception:
            return Undefined
        return complete(value) if _settle(value) else Undefined

    return read


def leaf_reading(value_of: Callable[[Any], Any], type_: GraphQLOutputType) -> Callable[[Any], Any]:
    """`reading` of a scalar or enum field in one step: a page of rows reads hundreds of them."""
    coerce = cast(Any, get_nullable_type(type_)).coerce_output_value
    required = is_non_null_type(type_)

    def read(row: Any) -> Any:
        try:
            value = value_of(row)
        except Exception:
            return Undefined
        if value is None:
            return Undefined if required else None
        if not _settle(value):
            return Undefined
        try:
            coerced = coerce(value)
        except Exception:
            return Undefined
        return Undefined if coerced is None else coerced  # graphql-core reports a leaf serialized to null

    return read


class ObjectPlan:
    """A reader per response key of one selection on one object type; off once it could not answer."""

    __slots__ = ("enabled", "readers")

    def __init__(self, readers: list[tuple[str, Callable[[Any], Any]]]) -> None:
        self.readers = readers
        self.enabled = True

    def __call__(self, row: Any) -> Any:
        if not self.enabled or isinstance(row, Exception) or is_awaitable(row):
            return Undefined
        completed = {}
        for key, read in self.readers:
            value = read(row)
            if value is Undefined:
                self.enabled = False
                return Undefined
            completed[key] = value
        return completed


class PlannedCompletion(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with object and list completion planned (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]
        self._read_directly = self.middleware_manager is None or not self.middleware_manager.middlewares
        # Keyed by the identity of a field's details list, which graphql-core keeps for the whole query.
        self._completers: dict[tuple[int, int], tuple[Any, Completer | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        planned = self._planned(return_type, field_details_list, result)
        if planned is not Undefined:
            return planned
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        planned = self._planned(return_type, field_details_list, result)
        if planned is not Undefined:
            return planned
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _planned(self, type_: GraphQLOutputType, details: Any, value: Any) -> Any:
        if not self._read_directly:
            return Undefined
        complete = self._completer(type_, details)
        return Undefined if complete is None else complete(value)

    def _completer(self, type_: GraphQLOutputType, details: Any) -> Completer | None:
        key = (id(type_), id(details))
        known = self._completers.get(key)
        if known is None:
            known = self._completers[key] = (details, self._build_completer(type_, details))
        return known[1]

    def _build_completer(self, type_: GraphQLOutputType, details: Any) -> Completer | None:
        if is_non_null_type(type_):
            inner = self._completer(cast(GraphQLOutputType, get_nullable_type(type_)), details)
            return None if inner is None else non_null(inner)
        if is_leaf_type(type_):
            return leaf_completer(type_)
        if is_list_type(type_):
            return self._list_completer(type_.of_type, details)
        if is_object_type(type_) and type_.is_type_of is None:
            return self._object_completer(type_, details)
        return None

    def _list_completer(self, item_type: GraphQLOutputType, details: Any) -> Completer | None:
        item = self._completer(item_type, details)
        if item is None:
            return None

        def complete(values: Any) -> Any:
            if values is None:
                return None
            if not isinstance(values, list | tuple):
                return Undefined
            completed = []
            for value in values:
                one = item(value)
                if one is Undefined:
                    return Undefined
                completed.append(one)
            return completed

        return complete

    def _object_completer(self, type_: GraphQLObjectType, details: Any) -> Completer | None:
        grouped, defers, forbidden = self.collect_subfields(type_, details)
        if defers or forbidden:
            return None
        readers = []
        for key, field_details in grouped.items():
            read = self._field_reader(type_, key, field_details)
            if read is None:
                return None
            readers.append((key, read))
        plan = ObjectPlan(readers)
        return lambda row: None if row is None else plan(row)

    def _field_reader(
        self, parent: GraphQLObjectType, key: str, details: list[FieldDetails]
    ) -> Callable[[Any], Any] | None:
        node = details[0].node
        if node.arguments or node.directives or any(d.defer_usage for d in details):
            return None
        name = node.name.value
        if name == "__typename":
            return lambda _: parent.name
        field = parent.fields.get(name)
        if field is None:
            return None

        def info() -> Info[Any, Any]:
            raw = self.build_resolve_info(
                field, [d.node for d in details], parent, Path(None, key, parent.name)
            )
            return Info(_raw_info=raw, _field=field.extensions["strawberry-definition"])

        value_of = value_reader(field, info)
        if value_of is None:
            return None
        if is_leaf_type(get_nullable_type(field.type)):
            return leaf_reading(value_of, field.type)
        complete = self._completer(field.type, details)
        return None if complete is None else reading(value_of, complete)
