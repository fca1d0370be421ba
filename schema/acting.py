"""Who is acting, read when the operation is known to need it.

An operation that asks only about the schema (`{ __typename }`, introspection) is answered the same for
everyone; reading the session or token for it would be a database round trip for nothing. Any other
operation has its actor read once, before the first resolver runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import DocumentNode, FieldNode
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension


def only_about_the_schema(document: DocumentNode | None, operation_name: str | None) -> bool:
    operation = None if document is None else get_operation_ast(document, operation_name)
    return operation is not None and all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for selection in operation.selection_set.selections
    )


class ReadActor(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        read = getattr(context, "read_actor", None)
        if read is not None and not only_about_the_schema(
            self.execution_context.graphql_document, self.execution_context.operation_name
        ):
            context.actor = await read()
        yield
