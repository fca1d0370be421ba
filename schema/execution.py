"""How the schema executes: rows from the ORM are values, and scalar fields are read, not resolved.

A page of 50 partners asks for some 550 fields, most of them a column of a row already in memory.
graphql-core gives each one a resolve-info object, the resolver chain and value completion: that, not
SQL, was most of the time a list screen took. A field whose value is a scalar or an enum and that
either reads an attribute or has a plain resolver of its row alone (no arguments, no info, not async,
no extensions) is read and coerced directly here. Anything else, and any null where none may be or any
error, takes graphql-core's own path, so answers and errors are exactly the same (a failing resolver
of this kind runs a second time there; they compute from the row and change nothing). Objects and
lists of them are completed by a plan made once per query (schema.completion).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    BREAK,
    DocumentNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    StringValueNode,
    Visitor,
    get_nullable_type,
    is_leaf_type,
    visit,
)
from graphql.pyutils import Path, Undefined

from schema.completion import PlannedCompletion, leaf_reading, value_reader
from server.platform.text import carries_odd_characters, has_odd_characters


def direct_leaf(field: GraphQLField) -> Callable[[Any], Any] | None:
    """How to answer the field directly from its row, if it can be (see the module's docstring): the
    value, or Undefined when graphql-core's own path must answer (and report)."""
    if not is_leaf_type(get_nullable_type(field.type)):
        return None
    value_of = value_reader(field)
    return None if value_of is None else leaf_reading(value_of, field.type)


_PLANS: dict[int, tuple[GraphQLField, Callable[[Any], Any] | None]] = {}


def _plan(field: GraphQLField) -> Callable[[Any], Any] | None:
    known = _PLANS.get(id(field))
    if known is None or known[0] is not field:
        known = _PLANS[id(field)] = (field, direct_leaf(field))
    return known[1]


ODD_TEXT = "Text may not contain NUL characters or unpaired surrogates."


def _literal_carries_odd_text(document: DocumentNode) -> bool:
    # Raw NUL and surrogates are already syntax errors; in a literal they can only come as \u escapes.
    if document.loc is not None and "\\u" not in document.loc.source.body:
        return False
    found: list[bool] = []

    class Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
            if has_odd_characters(node.value):
                found.append(True)
                return BREAK
            return None

    visit(document, Finder())
    return bool(found)


class ClubExecutionContext(PlannedCompletion):
    @classmethod
    def build(
        cls,
        schema: Any,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        raw_variable_values: dict[str, Any] | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Refuse text no one types (server.text) where GraphQL decodes its input, before any resolver: a
        typed error for the client, not an internal one from the database."""
        if carries_odd_characters(raw_variable_values) or _literal_carries_odd_text(document):
            return [GraphQLError(ODD_TEXT, extensions={"code": "INVALID_TEXT"})]
        return super().build(
            schema, document, root_value, context_value, raw_variable_values, *args, **kwargs
        )

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
                value = leaf(source)
                if value is not Undefined:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
